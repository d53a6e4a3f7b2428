// content/src/exhibit.h — one exhibit's full texts, loaded when a visitor opens it.
//
// Source layout and keys: content/exhibits/README.md. Contract: load_exhibit() never throws;
// problems are appended to *errors as "FILE:LINE: reason" and the function returns false.
// A loaded exhibit has a text for every language file present; text() applies the pack's
// fallback chain (requested -> pack default -> English).
#pragma once

#include "pack.h"

#include <string>
#include <vector>

namespace kiosk::content {

struct QuizQuestion {
  std::string question;
  std::vector<std::string> options;
  int answer = -1;  // index into options (from exhibit.toml quiz_answers)
  std::string explanation;
};

struct ExhibitText {
  std::string lang;
  std::string title, summary, image_alt, body;
  std::vector<std::string> paragraphs;  // body split on blank lines
  std::vector<std::string> facts;
  std::vector<QuizQuestion> quiz;
};

struct Exhibit {
  std::string id, category;
  std::string image_path;    // absolute
  std::string thumb_path;    // absolute, may not exist
  std::string image_credit;
  std::vector<int> quiz_answers;
  std::map<std::string, ExhibitText, std::less<>> texts;  // lang -> text

  // The text in lang, else the pack default, else English, else any; nullptr if none.
  const ExhibitText* text(std::string_view lang, std::string_view default_lang) const;
};

bool load_exhibit(const ExhibitSummary& summary, const std::vector<std::string>& languages,
                  Exhibit* out, std::vector<std::string>* errors);

}  // namespace kiosk::content
