// SigV4's canonical request from untrusted paths, queries, header names and values. The input is
// a request in the AWS test suite's request.txt form (../shared/testdata/sigv4/*/request.txt):
// "METHOD target HTTP/1.1", "Name:value" lines (a line starting with a space or tab continues
// the previous value), a blank line, the body; read leniently, so every input is a request.
//
// Checked, for three sets of signing parameters:
// - sign()'s canonical request equals an independent reference built from the rules in
//   sigv4.hpp (encode, normalise, sort, trim and fold), and its string to sign and signature
//   follow from it;
// - sign_in_place() signs the same request identically, and signing it again (a retry) gives
//   the same headers, with one Authorization;
// - canonical_query() is idempotent, and canonical_uri() gives only unreserved characters,
//   '/' and upper-case %XX, with no empty, "." or ".." segment once normalised.
#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "aws/hashing.hpp"
#include "aws/sigv4.hpp"
#include "fuzz_check.hpp"

namespace {

namespace aws = scavenger::aws;
namespace http = scavenger::http;

struct parsed_request {
  std::string method;
  std::string path;
  std::string query;
  bool has_question_mark = false;
  std::vector<http::header> headers;
  std::string body;
};

parsed_request parse_request(std::string_view text) {
  parsed_request out;
  std::size_t position = 0;
  auto next_line = [&] {
    const std::size_t end = std::min(text.find('\n', position), text.size());
    const std::string_view line = text.substr(position, end - position);
    position = end + 1;
    return line;
  };
  const std::string_view request_line = next_line();
  const std::size_t method_end = std::min(request_line.find(' '), request_line.size());
  out.method = request_line.substr(0, method_end);
  std::string_view target = request_line.substr(std::min(method_end + 1, request_line.size()));
  const std::size_t version = target.rfind(' ');
  if (version != std::string_view::npos) target = target.substr(0, version);
  const std::size_t question = target.find('?');
  out.path = target.substr(0, question);
  if (question != std::string_view::npos) {
    out.has_question_mark = true;
    out.query = target.substr(question + 1);
  }
  while (position <= text.size()) {
    const std::string_view line = next_line();
    if (line.empty()) {
      if (position <= text.size()) out.body = text.substr(position);
      break;
    }
    if ((line.front() == ' ' || line.front() == '\t') && !out.headers.empty()) {
      out.headers.back().value.append("\n").append(line);
      continue;
    }
    const std::size_t colon = std::min(line.find(':'), line.size());
    out.headers.push_back({std::string(line.substr(0, colon)), std::string(line.substr(std::min(colon + 1, line.size())))});
  }
  return out;
}

// ---- the reference canonical request ----

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower(c);
  return out;
}

bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

std::string encode(std::string_view text, bool keep_slash) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    if (unreserved(c) || (keep_slash && c == '/')) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += hex[byte / 16];
      out += hex[byte % 16];
    }
  }
  return out;
}

int hex_digit(char c) {
  const std::string_view digits = "0123456789abcdef";
  const std::size_t at = digits.find(lower(c));
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

std::string decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 && hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts(1);
  for (const char c : text) {
    if (c == separator) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

// botocore's rule: posixpath.normpath (dot segments resolved, empty ones dropped), a trailing
// '/' kept; each segment then encoded.
std::string reference_uri(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  if (!normalize) return encode(path, true);
  std::vector<std::string> kept;
  for (const std::string& segment : split(path, '/')) {
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
    } else if (!segment.empty() && segment != ".") {
      kept.push_back(segment);
    }
  }
  std::string out = "/";
  for (std::size_t i = 0; i < kept.size(); ++i) out += (i ? "/" : "") + encode(kept[i], false);
  if (!kept.empty() && path.back() == '/') out += '/';
  return out;
}

std::string reference_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const std::string& pair : split(query, '&')) {
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    pairs.emplace_back(encode(decode(pair.substr(0, equals)), false),
                       equals == std::string::npos ? "" : encode(decode(pair.substr(equals + 1)), false));
  }
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [key, value] : pairs) out += (out.empty() ? "" : "&") + key + "=" + value;
  return out;
}

// Whitespace runs (folded lines included) become one space, both ends trimmed.
std::string reference_value(std::string_view value) {
  std::string out;
  std::string word;
  for (std::size_t i = 0; i <= value.size(); ++i) {
    const bool space = i == value.size() || std::string_view(" \t\r\n\v\f").find(value[i]) != std::string_view::npos;
    if (!space) {
      word += value[i];
    } else if (!word.empty()) {
      out += (out.empty() ? "" : " ") + word;
      word.clear();
    }
  }
  return out;
}

struct signing_case {
  aws::credentials creds;
  aws::signing_params params;
};

std::string reference_canonical_request(const aws::signable_request& request, const signing_case& c,
                                        std::string_view amz_date, std::string_view payload_hash) {
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case name, value
  for (const http::header& header : request.headers) {
    const std::string name = lower(header.name);
    const bool owned = name == "authorization" || name == "x-amz-date" || name == "x-amz-security-token" ||
                       (c.params.sign_body && name == "x-amz-content-sha256");
    const bool unsigned_header = std::find(c.params.unsigned_headers.begin(), c.params.unsigned_headers.end(),
                                           name) != c.params.unsigned_headers.end();
    if (!owned && !unsigned_header) headers.emplace_back(name, header.value);
  }
  headers.emplace_back("x-amz-date", amz_date);
  if (!c.creds.session_token.empty() && !c.params.omit_session_token) {
    headers.emplace_back("x-amz-security-token", c.creds.session_token);
  }
  if (c.params.sign_body) headers.emplace_back("x-amz-content-sha256", payload_hash);
  std::stable_sort(headers.begin(), headers.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

  std::string out = request.method + "\n" + reference_uri(request.path, c.params.normalize_path) + "\n" +
                    reference_query(request.query) + "\n";
  std::string signed_list;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const bool same_as_previous = i > 0 && headers[i].first == headers[i - 1].first;
    if (same_as_previous) {
      out += "," + reference_value(headers[i].second);
    } else {
      if (i > 0) out += "\n";
      out += headers[i].first + ":" + reference_value(headers[i].second);
      signed_list += (i > 0 ? ";" : "") + headers[i].first;
    }
  }
  out += "\n\n" + signed_list + "\n" + std::string(payload_hash);
  return out;
}

// ---- checks ----

bool is_percent_encoded(std::string_view text, std::string_view also_allowed) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (unreserved(c) || also_allowed.find(c) != std::string_view::npos) continue;
    if (c != '%' || i + 2 >= text.size()) return false;
    for (const char digit : text.substr(i + 1, 2)) {
      if (!((digit >= '0' && digit <= '9') || (digit >= 'A' && digit <= 'F'))) return false;
    }
    i += 2;
  }
  return true;
}

void check_uri_and_query(const parsed_request& request) {
  const std::string& path = request.path;
  const std::string normalized = aws::canonical_uri(path, true);
  const std::string raw = aws::canonical_uri(path, false);
  FUZZ_CHECK(normalized == reference_uri(path, true), "canonical_uri(normalize) of \"" + path + "\": " + normalized);
  FUZZ_CHECK(raw == reference_uri(path, false), "canonical_uri of \"" + path + "\": " + raw);
  FUZZ_CHECK(!normalized.empty() && normalized.front() == '/' && is_percent_encoded(normalized, "/"), normalized);
  FUZZ_CHECK(is_percent_encoded(raw, "/"), raw);
  FUZZ_CHECK(normalized.find("//") == std::string::npos, "empty segment in " + normalized);
  for (const std::string& segment : split(normalized, '/')) {
    FUZZ_CHECK(segment != "." && segment != "..", "dot segment in " + normalized);
  }
  // Without anything to escape, encoding is the identity and normalising is idempotent.
  if (normalized.find('%') == std::string::npos) {
    FUZZ_CHECK(aws::canonical_uri(normalized, true) == normalized, "normalising " + normalized + " again changes it");
  }

  const std::string query = aws::canonical_query(request.query);
  FUZZ_CHECK(query == reference_query(request.query), "canonical_query of \"" + request.query + "\": " + query);
  FUZZ_CHECK(is_percent_encoded(query, "&="), query);
  FUZZ_CHECK(aws::canonical_query(query) == query, "canonical_query is not idempotent on " + query);
}

std::string header_value(const std::vector<http::header>& headers, std::string_view name, int* count) {
  std::string value;
  *count = 0;
  for (const http::header& header : headers) {
    if (lower(header.name) == name) {
      value = header.value;
      ++*count;
    }
  }
  return value;
}

void check_signing(const parsed_request& parsed, const signing_case& c) {
  const std::string host = "example.amazonaws.com";
  aws::signable_request request{parsed.method, parsed.path, parsed.query, parsed.headers, parsed.body};
  int hosts = 0;
  header_value(request.headers, "host", &hosts);
  if (hosts == 0) request.headers.push_back({"Host", host});  // sign() needs one; sign_in_place adds it

  const aws::signature_result signed_result = aws::sign(request, c.creds, c.params);
  const std::string date = aws::amz_date(c.params.time);
  const std::string payload_hash = aws::hex_sha256(parsed.body);
  const std::string expected = reference_canonical_request(request, c, date, payload_hash);
  FUZZ_CHECK(signed_result.canonical_request == expected,
             "canonical request:\n" + signed_result.canonical_request + "\nreference:\n" + expected);

  const std::string scope = aws::credential_scope(date.substr(0, 8), c.params.region, c.params.service);
  const std::string string_to_sign =
      "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + aws::hex_sha256(signed_result.canonical_request);
  FUZZ_CHECK(signed_result.string_to_sign == string_to_sign, signed_result.string_to_sign);
  const aws::sha256_digest key =
      aws::derive_signing_key(c.creds.secret_access_key, date.substr(0, 8), c.params.region, c.params.service);
  FUZZ_CHECK(signed_result.signature == aws::to_hex(aws::hmac_sha256(key, string_to_sign)), signed_result.signature);

  http::request in_place;
  in_place.method = parsed.method;
  in_place.target = parsed.path + (parsed.has_question_mark ? "?" + parsed.query : "");
  in_place.headers = parsed.headers;
  in_place.body = parsed.body;
  aws::signing_key_cache cache;
  aws::sign_in_place(in_place, host, c.creds, c.params, cache);
  int authorizations = 0;
  const std::string authorization = header_value(in_place.headers, "authorization", &authorizations);
  FUZZ_CHECK(authorizations == 1 && authorization == signed_result.authorization,
             "sign_in_place: " + authorization + "\nsign: " + signed_result.authorization);

  http::request again = in_place;
  aws::sign_in_place(again, host, c.creds, c.params, cache);
  FUZZ_CHECK(again.headers == in_place.headers, "signing again changed the headers");
}

std::vector<signing_case> signing_cases() {
  using namespace std::chrono;
  const system_clock::time_point time = sys_days{year{2015} / August / 30} + hours{12} + minutes{36};
  const aws::credentials plain{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt};
  aws::credentials with_token = plain;
  with_token.session_token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

  std::vector<signing_case> cases(3);
  cases[0] = {plain, {"us-east-1", "service", time, true, false, false, {}}};  // DynamoDB's
  cases[1] = {with_token, {"us-east-1", "service", time, false, true, false, {}}};
  cases[2] = {with_token, {"eu-west-1", "dynamodb", time, true, false, true, {"content-type", "content-length"}}};
  return cases;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
  static const std::vector<signing_case> cases = signing_cases();
  const parsed_request request = parse_request(scavenger::fuzz::as_text(data, size));
  check_uri_and_query(request);
  for (const signing_case& c : cases) check_signing(request, c);
  return 0;
}
