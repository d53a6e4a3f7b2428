// tests/catch_main.cpp — Catch2's main, built once (tests/CMakeLists.txt kiosk_catch_main) and linked
// into every suite.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
