// A tiny self-contained test runner: TEST(name) registers a case, CHECK*
// fail it by throwing, and main() (main.cpp) runs every case and prints
// "N passed, M failed". Cases built from the reference fixtures are added at
// run time through TEST_CASES.
#ifndef VIGIL_TESTS_RUNNER_HPP
#define VIGIL_TESTS_RUNNER_HPP

#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json.hpp"
#include "vigil.hpp"

namespace runner {

struct Failure {
    std::string message;
};

using Body = std::function<void()>;

inline std::vector<std::pair<std::string, Body>>& cases() {
    static std::vector<std::pair<std::string, Body>> all;
    return all;
}
inline std::vector<void (*)()>& generators() {
    static std::vector<void (*)()> all;
    return all;
}
inline void add(std::string name, Body body) { cases().emplace_back(std::move(name), std::move(body)); }

struct Register {
    Register(const char* name, void (*body)()) { add(name, body); }
    explicit Register(void (*generator)()) { generators().push_back(generator); }
};

// Set by main() from the command line before any case runs.
struct Paths {
    std::string root;         // repository root, for tests/fixtures
    std::string ort_library;  // libonnxruntime.so, passed explicitly where a test wants it
};
inline Paths& paths() {
    static Paths p;
    return p;
}
inline std::string model_dir(const std::string& name) { return paths().root + "/tests/fixtures/models/" + name; }
inline std::string meddra_dir(const std::string& language) {
    return paths().root + "/tests/fixtures/meddra/" + language;
}
inline json::Value reference(const std::string& name) {
    return json::parse_file(paths().root + "/tests/fixtures/reference/" + name + ".json");
}

// A reference case's texts that Vigil accepts (it refuses blank ones with
// EMPTY_TEXT), each with its position in the case.
inline std::vector<std::pair<std::size_t, std::string>> scorable(const json::Value& reference_case) {
    std::vector<std::pair<std::size_t, std::string>> out;
    const auto& texts = reference_case["texts"].array();
    for (std::size_t i = 0; i < texts.size(); i++) {
        const std::string& text = texts[i].string();
        if (text.find_first_not_of(" \t\r\n") != std::string::npos) {
            out.emplace_back(i, text);
        }
    }
    return out;
}

inline bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}
inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

[[noreturn]] inline void fail(const char* file, int line, const std::string& what) {
    std::ostringstream message;
    message << file << ":" << line << ": " << what;
    throw Failure{message.str()};
}

template <class A, class B>
void check_eq(const A& a, const B& b, const char* expr, const char* file, int line) {
    if (!(a == b)) {
        std::ostringstream message;
        message << "CHECK_EQ(" << expr << "): " << a << " != " << b;
        fail(file, line, message.str());
    }
}

inline void check_near(double a, double b, double tolerance, const char* expr, const char* file, int line) {
    if (!(std::fabs(a - b) <= tolerance)) {
        std::ostringstream message;
        message.precision(17);
        message << "CHECK_NEAR(" << expr << "): " << a << " vs " << b << " (tolerance " << tolerance << ")";
        fail(file, line, message.str());
    }
}

// Runs `body`, which must throw vigil::Error with `code`; returns the error.
template <class Body>
vigil::Error expect_error(Body body, vigil::ErrorCode code, const char* expr, const char* file, int line) {
    try {
        body();
    } catch (const vigil::Error& e) {
        if (e.code() != code) {
            fail(file, line, std::string(expr) + " threw code " + std::to_string(static_cast<unsigned>(e.code())) +
                                 " (" + e.what() + "), expected " + std::to_string(static_cast<unsigned>(code)));
        }
        return e;
    }
    fail(file, line, std::string(expr) + " did not throw");
}

// UTF-8 <-> UTF-16 for tests that need a text's native UTF-16 form; the
// input is known to be valid.
inline std::u16string utf16(std::string_view s) {
    std::u16string out;
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const int extra = b < 0x80 ? 0 : b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
        char32_t cp = extra == 0 ? b : extra == 1 ? (b & 0x1Fu) : extra == 2 ? (b & 0x0Fu) : (b & 0x07u);
        for (int k = 1; k <= extra; k++) {
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3Fu);
        }
        i += static_cast<std::size_t>(extra) + 1;
        if (cp >= 0x10000) {
            out += static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10));
            out += static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            out += static_cast<char16_t>(cp);
        }
    }
    return out;
}

}  // namespace runner

#define RUNNER_CAT2(a, b) a##b
#define RUNNER_CAT(a, b) RUNNER_CAT2(a, b)

// A test case: TEST(name) { ... }
#define TEST(name)                                                \
    static void name();                                           \
    static const runner::Register RUNNER_CAT(name, _registered)(#name, name); \
    static void name()

// A function that adds cases with runner::add once the paths are known.
#define TEST_CASES(name)                                          \
    static void name();                                           \
    static const runner::Register RUNNER_CAT(name, _registered)(name); \
    static void name()

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (!(cond)) runner::fail(__FILE__, __LINE__, "CHECK(" #cond ")");   \
    } while (0)
#define CHECK_EQ(a, b) runner::check_eq((a), (b), #a ", " #b, __FILE__, __LINE__)
#define CHECK_NEAR(a, b, tolerance) runner::check_near((a), (b), (tolerance), #a ", " #b, __FILE__, __LINE__)
#define CHECK_THROWS(expr, code) \
    runner::expect_error([&] { (void)(expr); }, vigil::ErrorCode::code, #expr, __FILE__, __LINE__)

#endif
