// kiosk/core/consent.h — a guardian's consent: who needs one, and what a recorded consent proves.
//
// The rules (numbered so tests and reviews can cite them). The Registry enforces them inside its
// transactions (register_participant, add_attendance, update_participant, attach_consent); the
// screens ask the same functions before saving, so what staff see and what the store refuses
// never disagree.
//  K1. A participant younger than kConsentAge whole years on the event's start date needs a
//      guardian's consent to be registered. With a birth year only, the youngest possible age
//      counts (age_on in people_queries.h): the safe side. It holds for every attendance, not
//      only the first: add_attendance refuses a minor (on that event's first day) with no
//      consent recorded, and update_participant refuses an edit that makes a person without a
//      consent a minor on the first day of any event they attend (the earliest one; today when
//      they attend none). An edit of a person who was already a minor without consent before
//      it (records from before schema 8) is allowed: it does not make the record worse, and
//      attach_consent is how it is mended.
//  K2. A consent records what the guardian actually saw: the text's version (kept beside the text
//      in the catalog of its language), the language the text was SHOWN in (after the catalog's
//      fallback), and the SHA-256 of the exact text shown (lowercase hex). The text itself is not
//      stored: the catalog holds it under its version; the hash proves which bytes were shown.
//  K3. The text must have been shown in the language requested for the guardian. A catalog that
//      fell back to another language (the requested one lacks the consent text) is refused: a
//      guardian cannot consent to a text in a language nobody chose for them.
//  K4. A consent without a text or without a version is refused: it would prove nothing.
// The store adds what must never happen (migration 8): a consent row without the hash is refused,
// and the version, language and hash of a recorded consent never change.
//
// Contract: pure functions (no I/O), thread-safe. A refusal carries the catalog key staff see
// (in their own language) and an English detail for logs and SaveResult::detail.
#pragma once

#include "records.h"

#include <optional>
#include <string>
#include <string_view>

namespace kiosk::core {

// K1: under this age in whole years on the event's first day, a guardian must consent.
inline constexpr int kConsentAge = 18;

// K1. event_start is "YYYY-MM-DD" (EventInfo::start_date).
bool needs_guardian_consent(const ParticipantFields& person, const std::string& event_start);

// SHA-256 (libsodium crypto_hash_sha256) of the bytes, as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

// Why a consent may not be recorded. The rule keys (catalog keys, every language):
//   consent.refused.minor      K1: no consent for a minor
//   consent.refused.fell_back  K3: the text was shown in another language than requested
//   consent.refused.no_text    K4: no text or no version (or a version the store cannot hold)
struct ConsentRefusal {
  std::string rule;    // empty: allowed
  std::string detail;  // English, for logs
  bool refused() const { return !rule.empty(); }
};

// K1 for a person with (has_consent) or without a recorded consent, on `day` ("YYYY-MM-DD").
ConsentRefusal check_minor_consent(const ParticipantFields& person, bool has_consent,
                                   const std::string& day);
// K2-K4 for a consent about to be recorded (attach_consent).
ConsentRefusal check_consent(const ConsentInput& consent);
// K1, then K2-K4 when a consent is given: what register_participant refuses.
ConsentRefusal check_registration_consent(const ParticipantFields& person,
                                          const std::optional<ConsentInput>& consent,
                                          const std::string& event_start);

}  // namespace kiosk::core
