// Catch2's main() for the content checker suite.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
