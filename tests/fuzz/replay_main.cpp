// tests/fuzz/replay_main.cpp — runs a fuzz target without libFuzzer (see fuzz_target.h).
//
//   <target>_replay CORPUS_DIR [MUTATIONS] [SEED]
//
// Feeds LLVMFuzzerTestOneInput every regular file of CORPUS_DIR (sorted by name), then MUTATIONS
// (default 3000) inputs made from those files by a seeded xorshift mutator: bit flips, byte sets to
// boundary values, truncation, duplication of a slice, splicing two files, insertion of a
// syntax-significant byte. The sequence depends only on the corpus and SEED, so a failure
// reproduces; before each input the driver remembers it, and on a crash (abort, sanitizer,
// segfault) the last input is written to ./replay-crash-<target> for `./dev fuzz` to minimize.
#include "fuzz_target.h"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using Input = std::vector<std::uint8_t>;

// The input being run, kept for the crash handler (this process's only global: a test driver).
const Input* g_current = nullptr;
const char* g_crash_path = "replay-crash";

void write_current_and_die(int sig) {
  if (g_current) {
    if (std::FILE* f = std::fopen(g_crash_path, "wb")) {
      std::fwrite(g_current->data(), 1, g_current->size(), f);
      std::fclose(f);
    }
    const char msg[] = "replay: the input that failed was written to the crash file\n";
    (void)!::write(2, msg, sizeof msg - 1);
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

struct XorShift {
  std::uint64_t state;
  std::uint64_t next() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

Input mutate(const std::vector<Input>& corpus, XorShift& rng) {
  Input in = corpus[rng.below(corpus.size())];
  const int rounds = 1 + static_cast<int>(rng.below(4));
  static constexpr std::uint8_t kInteresting[] = {0x00, 0xFF, 0x7F, 0x80, '"', '\'', '\\', '\n',
                                                  '\r', '=', '[', ']', '{', ',', '.', '#', 0xC3,
                                                  0xE2, 0xF0, 'x'};
  for (int r = 0; r < rounds; ++r) {
    switch (rng.below(6)) {
      case 0:  // flip one bit
        if (!in.empty()) in[rng.below(in.size())] ^= static_cast<std::uint8_t>(1u << rng.below(8));
        break;
      case 1:  // set a byte to a boundary or syntax value
        if (!in.empty())
          in[rng.below(in.size())] = kInteresting[rng.below(sizeof kInteresting)];
        break;
      case 2:  // truncate
        in.resize(rng.below(in.size() + 1));
        break;
      case 3: {  // duplicate a slice in place
        if (in.empty()) break;
        const std::size_t from = rng.below(in.size());
        const std::size_t len = 1 + rng.below(std::min<std::size_t>(64, in.size() - from));
        const Input slice(in.begin() + static_cast<std::ptrdiff_t>(from),
                          in.begin() + static_cast<std::ptrdiff_t>(from + len));
        in.insert(in.begin() + static_cast<std::ptrdiff_t>(rng.below(in.size() + 1)), slice.begin(),
                  slice.end());
        break;
      }
      case 4: {  // splice: our head, another file's tail
        const Input& other = corpus[rng.below(corpus.size())];
        in.resize(rng.below(in.size() + 1));
        in.insert(in.end(), other.begin() + static_cast<std::ptrdiff_t>(rng.below(other.size() + 1)),
                  other.end());
        break;
      }
      default:  // insert a syntax-significant byte
        in.insert(in.begin() + static_cast<std::ptrdiff_t>(rng.below(in.size() + 1)),
                  kInteresting[rng.below(sizeof kInteresting)]);
        break;
    }
  }
  return in;
}

void run(const Input& in) {
  g_current = &in;
  LLVMFuzzerTestOneInput(in.data(), in.size());
  g_current = nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [MUTATIONS] [SEED]\n", argv[0]);
    return 2;
  }
  const long mutations = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 3000;
  XorShift rng{argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 0x5EEDF00Dull};
  if (rng.state == 0) rng.state = 1;
  static std::string crash_path =
      "replay-crash-" + fs::path(argv[0]).filename().string();
  g_crash_path = crash_path.c_str();
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, write_current_and_die);

  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(argv[1], ec))
    if (e.is_regular_file()) files.push_back(e.path());
  if (ec || files.empty()) {
    std::fprintf(stderr, "replay: no corpus files in %s\n", argv[1]);
    return 2;
  }
  std::sort(files.begin(), files.end());
  std::vector<Input> corpus;
  for (const auto& p : files) {
    std::ifstream f(p, std::ios::binary);
    corpus.emplace_back(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    run(corpus.back());
  }
  for (long i = 0; i < mutations; ++i) run(mutate(corpus, rng));
  std::printf("replay: %zu corpus files and %ld mutations ran clean\n", corpus.size(), mutations);
  return 0;
}
