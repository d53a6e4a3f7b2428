// kiosk/core/consent.cpp — the consent rules K1-K4 (consent.h).
#include "consent.h"

#include "people_queries.h"

#include <sodium.h>

#include <cstdlib>

namespace kiosk::core {

bool needs_guardian_consent(const ParticipantFields& person, const std::string& event_start) {
  return age_on(person.birth_date, person.birth_year, event_start) < kConsentAge;
}

std::string sha256_hex(std::string_view bytes) {
  if (sodium_init() < 0) std::abort();  // impossible on Linux: sodium_init only fails without entropy
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

ConsentRefusal check_consent(const ConsentInput& c) {
  if (c.shown_text.empty())
    return {"consent.refused.no_text", "consent: no text was shown to the guardian (K4)"};
  // The consent table's CHECKs: a version of 1..100 bytes, a language code of 2..35.
  if (c.text_version.empty() || c.text_version.size() > 100)
    return {"consent.refused.no_text",
            "consent: the text shown has no version (catalog key consent.text.version) (K4)"};
  if (c.language.size() < 2 || c.language.size() > 35)
    return {"consent.refused.no_text", "consent: the language the text was shown in is unknown (K2)"};
  if (c.requested_language != c.language)
    return {"consent.refused.fell_back",
            "consent: the text was shown in '" + c.language + "' but '" + c.requested_language +
                "' was chosen for the guardian (the catalog fell back); a guardian consents only "
                "to a text in the language chosen for them (K3)"};
  return {};
}

ConsentRefusal check_minor_consent(const ParticipantFields& person, bool has_consent,
                                   const std::string& day) {
  if (has_consent || !needs_guardian_consent(person, day)) return {};
  return {"consent.refused.minor",
          "consent: the participant is under " + std::to_string(kConsentAge) + " on " + day +
              ", the event's first day, and no guardian consented (K1)"};
}

ConsentRefusal check_registration_consent(const ParticipantFields& person,
                                          const std::optional<ConsentInput>& consent,
                                          const std::string& event_start) {
  if (consent) return check_consent(*consent);
  return check_minor_consent(person, false, event_start);
}

}  // namespace kiosk::core
