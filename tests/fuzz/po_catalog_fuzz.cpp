// tests/fuzz/po_catalog_fuzz.cpp — the PO catalog reader (content/src/catalog.h parse_po).
// Checks: never crashes; a refusal has a reason on one line (no control character: a reason
// quoting the file's bytes once spanned lines, found by pack_check); every message kept has its
// msgid line.
#include "catalog.h"
#include "fuzz_target.h"

#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view source(reinterpret_cast<const char*>(data), size);
  kiosk::content::PoFile po;
  std::string error;
  if (kiosk::content::parse_po(source, "fuzz.po", &po, &error)) {
    for (const auto& [id, text] : po.messages) {
      fuzz_check(!text.empty(), "only non-empty translations are kept");
      fuzz_check(po.lines.count(id) == 1, "every message knows the line of its msgid");
    }
  } else {
    fuzz_check(!error.empty(), "a refused catalog must say why");
    for (const char c : error)
      fuzz_check(static_cast<unsigned char>(c) >= 0x20 && c != 0x7F, "the reason is one line");
  }
  return 0;
}
