// Runs every registered case (parity.cpp, behaviour.cpp, meddra.cpp) and prints
// "N passed, M failed" last.
//
//   vigil_cpp_tests REPO_ROOT ORT_LIBRARY
//   vigil_cpp_tests --leak-canary   leaks on purpose: test.sh expects
//                                   LeakSanitizer to report it, so that the
//                                   clean runs mean something
#include <cstdio>
#include <cstring>
#include <exception>

#include "runner.hpp"

int main(int argc, char** argv) {
    if (argc == 2 && std::strcmp(argv[1], "--leak-canary") == 0) {
        (void)vigil_options_new();
        return 0;
    }
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s REPO_ROOT ORT_LIBRARY\n", argv[0]);
        return 2;
    }
    runner::paths() = {argv[1], argv[2]};
    try {
        for (auto generator : runner::generators()) {
            generator();
        }
    } catch (const std::exception& e) {
        std::printf("could not build the fixture cases: %s\n0 passed, 1 failed\n", e.what());
        return 1;
    }

    int passed = 0, failed = 0;
    for (const auto& [name, body] : runner::cases()) {
        std::string error;
        try {
            body();
        } catch (const runner::Failure& f) {
            error = f.message;
        } catch (const vigil::Error& e) {
            error = "unexpected vigil::Error (code " + std::to_string(static_cast<unsigned>(e.code())) + "): " + e.what();
        } catch (const std::exception& e) {
            error = std::string("unexpected exception: ") + e.what();
        }
        if (error.empty()) {
            passed++;
            std::printf("ok   %s\n", name.c_str());
        } else {
            failed++;
            std::printf("FAIL %s\n     %s\n", name.c_str(), error.c_str());
        }
        std::fflush(stdout);
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
