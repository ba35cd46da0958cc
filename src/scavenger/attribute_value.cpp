#include "scavenger/attribute_value.hpp"

#include <cstdint>

namespace scavenger::core {
namespace {

constexpr bool is_json_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t skip_space(std::string_view text, std::size_t pos) noexcept {
  while (pos < text.size() && is_json_space(text[pos])) ++pos;
  return pos;
}

// A JSON string literal found in the text: its body (between the quotes, still escaped).
struct string_literal {
  std::string_view body;
  bool escaped = false;
  std::size_t end = 0;  // just past the closing quote
};

// The string literal whose opening quote is at `pos`; nullopt when there is none, it is
// unterminated or it holds a raw control character (JSON forbids those).
std::optional<string_literal> find_string(std::string_view text, std::size_t pos) noexcept {
  if (pos >= text.size() || text[pos] != '"') return std::nullopt;
  string_literal literal;
  const std::size_t begin = ++pos;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '"') {
      literal.body = text.substr(begin, pos - begin);
      literal.end = pos + 1;
      return literal;
    }
    if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
    if (c == '\\') {
      literal.escaped = true;
      ++pos;  // the escaped character cannot end the string; decode() checks it
    }
    ++pos;
  }
  return std::nullopt;
}

// The four hex digits at body[pos], or -1.
std::int32_t read_hex4(std::string_view body, std::size_t pos) noexcept {
  if (body.size() - pos < 4) return -1;
  std::int32_t value = 0;
  for (std::size_t i = pos; i < pos + 4; ++i) {
    const char c = body[i];
    std::int32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return -1;
    }
    value = value * 16 + digit;
  }
  return value;
}

// The character a one-letter escape stands for ("\\n" -> '\n'), or '\0' when it is not one.
constexpr char simple_escape(char letter) noexcept {
  switch (letter) {
    case '"':
    case '\\':
    case '/':
      return letter;
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    default:
      return '\0';
  }
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// Decodes an escaped string body into `out`. False on an unknown escape or a lone surrogate
// (it has no UTF-8 form, so no timestamp or number can contain one).
bool decode(std::string_view body, std::string& out) {
  out.clear();
  out.reserve(body.size());
  for (std::size_t pos = 0; pos < body.size(); ++pos) {
    if (body[pos] != '\\') {
      out.push_back(body[pos]);
      continue;
    }
    if (++pos == body.size()) return false;
    if (const char simple = simple_escape(body[pos]); simple != '\0') {
      out.push_back(simple);
      continue;
    }
    if (body[pos] != 'u') return false;
    const std::int32_t unit = read_hex4(body, pos + 1);
    if (unit < 0) return false;
    pos += 4;
    auto code_point = static_cast<std::uint32_t>(unit);
    if (code_point >= 0xDC00 && code_point <= 0xDFFF) return false;
    if (code_point >= 0xD800 && code_point <= 0xDBFF) {
      // A high surrogate must be followed by an escaped low one.
      if (body.size() - pos < 3 || body[pos + 1] != '\\' || body[pos + 2] != 'u') return false;
      const std::int32_t low = read_hex4(body, pos + 3);
      if (low < 0xDC00 || low > 0xDFFF) return false;
      pos += 6;
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (static_cast<std::uint32_t>(low) - 0xDC00);
    }
    append_utf8(out, code_point);
  }
  return true;
}

// Whether the literal spells `expected` once decoded.
bool spells(const string_literal& literal, std::string_view expected) {
  if (!literal.escaped) return literal.body == expected;
  std::string decoded;  // type names are short: the small-string buffer holds them
  return decode(literal.body, decoded) && decoded == expected;
}

}  // namespace

std::optional<std::string_view> scalar_text(std::string_view raw, std::string_view type, std::string& scratch) {
  std::size_t pos = skip_space(raw, 0);
  if (pos == raw.size() || raw[pos] != '{') return std::nullopt;
  const auto name = find_string(raw, skip_space(raw, pos + 1));
  if (!name || !spells(*name, type)) return std::nullopt;
  pos = skip_space(raw, name->end);
  if (pos == raw.size() || raw[pos] != ':') return std::nullopt;
  const auto value = find_string(raw, skip_space(raw, pos + 1));
  if (!value) return std::nullopt;
  pos = skip_space(raw, value->end);
  if (pos == raw.size() || raw[pos] != '}') return std::nullopt;
  if (skip_space(raw, pos + 1) != raw.size()) return std::nullopt;
  if (!value->escaped) return value->body;
  if (!decode(value->body, scratch)) return std::nullopt;
  return std::string_view(scratch);
}

}  // namespace scavenger::core
