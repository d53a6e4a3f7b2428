// tests/keyboard/main.cpp — Catch2's main for the keyboard suite.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
