// tests/fuzz/form_schema_fuzz.cpp — the registration form schema (kiosk/core/form_schema.h).
// Parses the input as a form; when it is accepted, validates an empty and a filled-in form
// against it, since a schema that parses must be usable by the registration screen.
#include "form_schema.h"
#include "fuzz_target.h"

#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using kiosk::core::FormSchema;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto schema = FormSchema::parse(text, "fuzz.toml", &error);
  if (!schema) {
    fuzz_check(!error.empty(), "a refused form must say why");
    return 0;
  }
  kiosk::core::FormValues empty, filled;
  for (const auto& f : schema->fields) filled[f.id] = "2010-02-29";
  (void)kiosk::core::validate(*schema, empty, "2026-12-04");
  (void)kiosk::core::validate(*schema, filled, "2026-12-04");
  return 0;
}
