// A small JSON reader for the shared reference fixtures, so the tests need
// no third-party library. Strict enough for these files: objects, arrays,
// strings with every escape (surrogate pairs included), numbers, literals.
#ifndef VIGIL_TESTS_JSON_HPP
#define VIGIL_TESTS_JSON_HPP

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace json {

class Value {
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    Type type() const { return type_; }
    bool is_null() const { return type_ == Type::Null; }
    bool boolean() const {
        expect(Type::Bool);
        return boolean_;
    }
    double number() const {
        expect(Type::Number);
        return number_;
    }
    std::size_t index() const { return static_cast<std::size_t>(number()); }
    const std::string& string() const {
        expect(Type::String);
        return string_;
    }
    const std::vector<Value>& array() const {
        expect(Type::Array);
        return items_;
    }

    bool has(std::string_view key) const {
        expect(Type::Object);
        for (const auto& k : keys_) {
            if (k == key) return true;
        }
        return false;
    }
    const Value& operator[](std::string_view key) const {
        expect(Type::Object);
        for (std::size_t i = 0; i < keys_.size(); i++) {
            if (keys_[i] == key) return items_[i];
        }
        throw std::runtime_error("json: no key \"" + std::string(key) + "\"");
    }

private:
    friend class Parser;
    void expect(Type type) const {
        if (type_ != type) throw std::runtime_error("json: value of the wrong type");
    }

    Type type_ = Type::Null;
    bool boolean_ = false;
    double number_ = 0;
    std::string string_;
    std::vector<std::string> keys_;  // objects: keys_[i] names items_[i]
    std::vector<Value> items_;
};

class Parser {
public:
    explicit Parser(std::string_view text) : text_(text) {}

    Value document() {
        Value v = value();
        skip_space();
        if (pos_ != text_.size()) fail("trailing characters");
        return v;
    }

private:
    [[noreturn]] void fail(const char* what) const {
        throw std::runtime_error(std::string("json: ") + what + " at offset " + std::to_string(pos_));
    }
    void skip_space() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
                                       text_[pos_] == '\r')) {
            pos_++;
        }
    }
    char peek() {
        skip_space();
        if (pos_ >= text_.size()) fail("unexpected end");
        return text_[pos_];
    }
    void eat(char c) {
        if (peek() != c) fail("unexpected character");
        pos_++;
    }
    bool literal(std::string_view word) {
        if (text_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }

    Value value() {
        Value v;
        const char c = peek();
        if (c == '{') {
            v.type_ = Value::Type::Object;
            pos_++;
            if (peek() != '}') {
                do {
                    v.keys_.push_back(string());
                    eat(':');
                    v.items_.push_back(value());
                } while (peek() == ',' && (pos_++, true));
            }
            eat('}');
        } else if (c == '[') {
            v.type_ = Value::Type::Array;
            pos_++;
            if (peek() != ']') {
                do {
                    v.items_.push_back(value());
                } while (peek() == ',' && (pos_++, true));
            }
            eat(']');
        } else if (c == '"') {
            v.type_ = Value::Type::String;
            v.string_ = string();
        } else if (literal("true")) {
            v.type_ = Value::Type::Bool;
            v.boolean_ = true;
        } else if (literal("false")) {
            v.type_ = Value::Type::Bool;
        } else if (literal("null")) {
            v.type_ = Value::Type::Null;
        } else {
            v.type_ = Value::Type::Number;
            v.number_ = number();
        }
        return v;
    }

    double number() {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && std::string_view("+-0123456789.eE").find(text_[pos_]) != std::string_view::npos) {
            pos_++;
        }
        const std::string token(text_.substr(start, pos_ - start));
        char* end = nullptr;
        const double d = std::strtod(token.c_str(), &end);
        if (token.empty() || end != token.c_str() + token.size()) fail("bad number");
        return d;
    }

    unsigned hex4() {
        if (pos_ + 4 > text_.size()) fail("short \\u escape");
        unsigned u = 0;
        for (int i = 0; i < 4; i++) {
            const char h = text_[pos_++];
            u <<= 4;
            if (h >= '0' && h <= '9') u |= static_cast<unsigned>(h - '0');
            else if (h >= 'a' && h <= 'f') u |= static_cast<unsigned>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') u |= static_cast<unsigned>(h - 'A' + 10);
            else fail("bad hex digit");
        }
        return u;
    }

    static void append_utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    std::string string() {
        eat('"');
        std::string out;
        while (true) {
            if (pos_ >= text_.size()) fail("unterminated string");
            const char c = text_[pos_++];
            if (c == '"') return out;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= text_.size()) fail("unterminated escape");
            const char e = text_[pos_++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                unsigned cp = hex4();
                // A high surrogate must be followed by "\u" and a low one.
                if (cp >= 0xD800 && cp < 0xDC00) {
                    if (!literal("\\u")) fail("lone high surrogate");
                    const unsigned low = hex4();
                    if (low < 0xDC00 || low >= 0xE000) fail("bad low surrogate");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                } else if (cp >= 0xDC00 && cp < 0xE000) {
                    fail("lone low surrogate");
                }
                append_utf8(out, cp);
                break;
            }
            default: fail("bad escape");
            }
        }
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

inline Value parse_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot read " + path);
    std::ostringstream buffer;
    buffer << file.rdbuf();
    const std::string text = buffer.str();
    return Parser(text).document();
}

}  // namespace json

#endif
