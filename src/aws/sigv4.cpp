#include "aws/sigv4.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <tuple>
#include <utility>

#include <boost/container/small_vector.hpp>

namespace scavenger::aws {
namespace {

constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view scope_terminator = "aws4_request";
constexpr std::size_t hex_digest_length = 64;

// ---- text helpers (ASCII only: header names and the encodings are defined on bytes) ----

constexpr char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

// Orders names as their lower-case forms order: the canonical headers are sorted that way.
bool iless(std::string_view a, std::string_view b) noexcept {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return static_cast<unsigned char>(ascii_lower(x)) < static_cast<unsigned char>(ascii_lower(y));
  });
}

void append_lower(std::string& out, std::string_view text) {
  const std::size_t at = out.size();
  out.append(text);
  for (std::size_t i = at; i < out.size(); ++i) out[i] = ascii_lower(out[i]);
}

// Header values are folded and padded with these (RFC 7230 OWS plus the line breaks of
// obsolete line folding).
constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

// RFC 3986 §2.3 unreserved characters, the only ones SigV4 leaves unencoded.
constexpr bool is_unreserved(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// SigV4 wants upper-case hex in percent-encodings (lower-case in digests).
void append_uri_encoded(std::string& out, std::string_view text, bool keep_slash) {
  static constexpr char digits[] = "0123456789ABCDEF";
  for (const char c : text) {
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      const char escaped[3] = {'%', digits[byte >> 4], digits[byte & 0x0f]};
      out.append(escaped, 3);
    }
  }
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// A '%' not followed by two hex digits is kept literally (it is then encoded as %25).
std::string percent_decode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      decoded += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

void write_digits(char* out, unsigned value, int width) noexcept {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

using amz_date_buffer = std::array<char, 16>;  // YYYYMMDDTHHMMSSZ

amz_date_buffer format_amz_date(std::chrono::system_clock::time_point time) noexcept {
  using namespace std::chrono;
  const auto second = floor<seconds>(time);
  const auto day = floor<days>(second);
  const year_month_day date{day};
  const hh_mm_ss clock{second - day};
  amz_date_buffer out;
  write_digits(out.data(), static_cast<unsigned>(static_cast<int>(date.year())), 4);
  write_digits(out.data() + 4, static_cast<unsigned>(date.month()), 2);
  write_digits(out.data() + 6, static_cast<unsigned>(date.day()), 2);
  out[8] = 'T';
  write_digits(out.data() + 9, static_cast<unsigned>(clock.hours().count()), 2);
  write_digits(out.data() + 11, static_cast<unsigned>(clock.minutes().count()), 2);
  write_digits(out.data() + 13, static_cast<unsigned>(clock.seconds().count()), 2);
  out[15] = 'Z';
  return out;
}

void append_credential_scope(std::string& out, std::string_view date_yyyymmdd, std::string_view region,
                             std::string_view service) {
  out.append(date_yyyymmdd).append(1, '/').append(region).append(1, '/').append(service).append(1, '/');
  out.append(scope_terminator);
}

// ---- canonical request ----

void append_canonical_uri(std::string& out, std::string_view raw_path, bool normalize) {
  if (raw_path.empty()) {
    out += '/';
    return;
  }
  if (!normalize) {
    append_uri_encoded(out, raw_path, /*keep_slash=*/true);
    return;
  }
  // RFC 3986 §5.2.4 dot-segment removal, and empty segments dropped as the AWS SDKs do;
  // a trailing '/' on the raw path survives.
  boost::container::small_vector<std::string_view, 16> segments;
  std::size_t start = 0;
  while (start <= raw_path.size()) {
    const std::size_t end = std::min(raw_path.find('/', start), raw_path.size());
    const std::string_view segment = raw_path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  out += '/';
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out += '/';
    append_uri_encoded(out, segments[i], /*keep_slash=*/false);
  }
  if (!segments.empty() && raw_path.back() == '/') out += '/';
}

void append_canonical_query(std::string& out, std::string_view raw_query) {
  struct parameter {
    std::string key, value;  // encoded
  };
  std::vector<parameter> parameters;
  std::size_t start = 0;
  while (start < raw_query.size()) {
    const std::size_t end = std::min(raw_query.find('&', start), raw_query.size());
    const std::string_view pair = raw_query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const std::size_t equals = std::min(pair.find('='), pair.size());
    parameter encoded;
    append_uri_encoded(encoded.key, percent_decode(pair.substr(0, equals)), /*keep_slash=*/false);
    if (equals < pair.size()) {
      append_uri_encoded(encoded.value, percent_decode(pair.substr(equals + 1)), /*keep_slash=*/false);
    }
    parameters.push_back(std::move(encoded));
  }
  std::sort(parameters.begin(), parameters.end(), [](const parameter& a, const parameter& b) {
    return std::tie(a.key, a.value) < std::tie(b.key, b.value);
  });
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    if (i > 0) out += '&';
    out.append(parameters[i].key).append(1, '=').append(parameters[i].value);
  }
}

// A header as signed: a view of the request's header or of a value the signer adds.
struct header_ref {
  std::string_view name;
  std::string_view value;
};
using header_refs = boost::container::small_vector<header_ref, 16>;

// True when some byte of `word` is below n (n <= 128): the "has less" bit trick. A byte below
// n borrows into its high bit; bytes above a true hit may be flagged too, which cannot turn
// a "no" into a "yes", so the answer is exact.
constexpr bool has_byte_below(std::uint64_t word, std::uint8_t n) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101;
  constexpr std::uint64_t high_bits = 0x8080808080808080;
  return ((word - ones * n) & ~word & high_bits) != 0;
}

// Most values are already canonical: no tab or line break, no doubled or edge space. Checked
// eight bytes at a time, since a session token runs to a thousand characters. Whitespace
// controls are the bytes 9 to 13; any byte below 14 sends the value to the exact slow path.
bool is_canonical_header_value(std::string_view value) noexcept {
  if (value.empty()) return true;
  if (value.front() == ' ' || value.back() == ' ') return false;
  constexpr std::uint8_t first_printable_after_controls = 14;
  std::size_t i = 0;
  for (; i + sizeof(std::uint64_t) <= value.size(); i += sizeof(std::uint64_t)) {
    std::uint64_t word;
    std::memcpy(&word, value.data() + i, sizeof word);
    if (has_byte_below(word, first_printable_after_controls)) return false;
  }
  for (; i < value.size(); ++i) {
    if (static_cast<unsigned char>(value[i]) < first_printable_after_controls) return false;
  }
  return value.find("  ") == std::string_view::npos;
}

// Whitespace runs (folded lines included) become one space; both ends are trimmed.
void append_canonical_header_value(std::string& out, std::string_view value) {
  if (is_canonical_header_value(value)) {
    out.append(value);
    return;
  }
  bool first_word = true;
  std::size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && is_space(value[i])) ++i;
    if (i == value.size()) break;
    std::size_t word_end = i;
    while (word_end < value.size() && !is_space(value[word_end])) ++word_end;
    if (!first_word) out += ' ';
    out.append(value.substr(i, word_end - i));
    first_word = false;
    i = word_end;
  }
}

// Stable, so that repeated names keep their order on the request; an insertion sort, since
// a request has a handful of headers and std::stable_sort would allocate a buffer.
void sort_by_lower_name(std::span<header_ref> headers) noexcept {
  for (std::size_t i = 1; i < headers.size(); ++i) {
    const header_ref moving = headers[i];
    std::size_t j = i;
    for (; j > 0 && iless(moving.name, headers[j - 1].name); --j) headers[j] = headers[j - 1];
    headers[j] = moving;
  }
}

struct text_range {
  std::size_t offset = 0;
  std::size_t size = 0;
};

// Appends the canonical headers block, the blank line and the SignedHeaders list; returns
// where the list is in `out`. Values of a repeated name are joined with ',' in request order.
text_range append_canonical_headers(std::string& out, std::span<header_ref> headers) {
  sort_by_lower_name(headers);
  for (std::size_t i = 0; i < headers.size();) {
    append_lower(out, headers[i].name);
    out += ':';
    append_canonical_header_value(out, headers[i].value);
    std::size_t next = i + 1;
    for (; next < headers.size() && iequals(headers[next].name, headers[i].name); ++next) {
      out += ',';
      append_canonical_header_value(out, headers[next].value);
    }
    out += '\n';
    i = next;
  }
  out += '\n';
  text_range signed_headers{out.size(), 0};
  for (std::size_t i = 0; i < headers.size(); ++i) {
    if (i > 0 && iequals(headers[i].name, headers[i - 1].name)) continue;
    if (i > 0) out += ';';
    append_lower(out, headers[i].name);
  }
  signed_headers.size = out.size() - signed_headers.offset;
  return signed_headers;
}

struct canonical_request_parts {
  std::string_view method;
  std::string_view path;
  std::string_view query;
  bool normalize_path = true;
  std::span<header_ref> headers;  // the signed ones, in any order (sorted in place)
  std::string_view payload_hash;  // lower-case hex
};

// Returns where the SignedHeaders list is in `out`.
text_range append_canonical_request(std::string& out, const canonical_request_parts& parts) {
  out.append(parts.method).append(1, '\n');
  append_canonical_uri(out, parts.path, parts.normalize_path);
  out += '\n';
  append_canonical_query(out, parts.query);
  out += '\n';
  const text_range signed_headers = append_canonical_headers(out, parts.headers);
  out.append(1, '\n').append(parts.payload_hash);
  return signed_headers;
}

// The hash is taken first so that `out` may be the buffer that held the canonical request.
void append_string_to_sign(std::string& out, std::string_view amz_date, std::string_view scope,
                           const sha256_digest& canonical_request_hash) {
  out.append(algorithm).append(1, '\n').append(amz_date).append(1, '\n').append(scope).append(1, '\n');
  const std::size_t at = out.size();
  out.resize(at + hex_digest_length);
  write_hex(canonical_request_hash, out.data() + at);
}

// "AWS4-HMAC-SHA256 Credential=AKID/<scope>, SignedHeaders=a;b, Signature=" (the caller appends
// the signature). Returns where the scope is in `out`.
text_range append_authorization_prefix(std::string& out, std::string_view access_key_id,
                                       std::string_view date_yyyymmdd, const signing_params& params,
                                       std::string_view signed_headers) {
  out.append(algorithm).append(" Credential=").append(access_key_id).append(1, '/');
  text_range scope{out.size(), 0};
  append_credential_scope(out, date_yyyymmdd, params.region, params.service);
  scope.size = out.size() - scope.offset;
  out.append(", SignedHeaders=").append(signed_headers).append(", Signature=");
  return scope;
}

bool is_listed(const std::vector<std::string>& names, std::string_view name) noexcept {
  return std::any_of(names.begin(), names.end(),
                     [name](const std::string& listed) { return iequals(listed, name); });
}

// Headers whose value the signer decides; the request's own copies are stale or misplaced.
bool is_signer_owned(std::string_view name, const signing_params& params) noexcept {
  return iequals(name, "authorization") || iequals(name, "x-amz-date") || iequals(name, "x-amz-security-token") ||
         (params.sign_body && iequals(name, "x-amz-content-sha256"));
}

void erase_headers(std::vector<http::header>& headers, std::string_view name) {
  std::erase_if(headers, [name](const http::header& header) { return iequals(header.name, name); });
}

// Replaces the value of the first header `name` (dropping any repeats), or appends it.
void set_header(std::vector<http::header>& headers, std::string_view name, std::string_view value) {
  const auto found = std::find_if(headers.begin(), headers.end(),
                                  [name](const http::header& header) { return iequals(header.name, name); });
  if (found == headers.end()) {
    headers.push_back({std::string(name), std::string(value)});
    return;
  }
  found->value.assign(value);
  const auto first = static_cast<std::size_t>(found - headers.begin());
  std::size_t kept = first + 1;
  for (std::size_t i = first + 1; i < headers.size(); ++i) {
    if (iequals(headers[i].name, name)) continue;
    if (kept != i) headers[kept] = std::move(headers[i]);
    ++kept;
  }
  headers.resize(kept);
}

bool has_header(const std::vector<http::header>& headers, std::string_view name) noexcept {
  return std::any_of(headers.begin(), headers.end(),
                     [name](const http::header& header) { return iequals(header.name, name); });
}

}  // namespace

sha256_digest derive_signing_key(std::string_view secret_access_key, std::string_view date_yyyymmdd,
                                 std::string_view region, std::string_view service) {
  std::string secret;
  secret.reserve(4 + secret_access_key.size());
  secret.append("AWS4").append(secret_access_key);
  const sha256_digest date_key = hmac_sha256(secret, date_yyyymmdd);
  const sha256_digest region_key = hmac_sha256(date_key, region);
  const sha256_digest service_key = hmac_sha256(region_key, service);
  return hmac_sha256(service_key, scope_terminator);
}

std::string amz_date(std::chrono::system_clock::time_point time) {
  const amz_date_buffer date = format_amz_date(time);
  return std::string(date.data(), date.size());
}

std::string credential_scope(std::string_view date_yyyymmdd, std::string_view region, std::string_view service) {
  std::string scope;
  append_credential_scope(scope, date_yyyymmdd, region, service);
  return scope;
}

std::string canonical_uri(std::string_view raw_path, bool normalize) {
  std::string uri;
  append_canonical_uri(uri, raw_path, normalize);
  return uri;
}

std::string canonical_query(std::string_view raw_query) {
  std::string query;
  append_canonical_query(query, raw_query);
  return query;
}

const sha256_digest& signing_key_cache::get(std::string_view secret_access_key, std::string_view date_yyyymmdd,
                                            std::string_view region, std::string_view service) {
  for (const entry& cached : entries_) {
    if (cached.date == date_yyyymmdd && cached.region == region && cached.service == service &&
        cached.secret == secret_access_key) {
      return cached.key;
    }
  }
  // Old entries belong to rotated credentials or past days: keep the newest few.
  constexpr std::size_t max_entries = 4;
  if (entries_.size() >= max_entries) entries_.erase(entries_.begin());
  entries_.push_back(entry{std::string(secret_access_key), std::string(date_yyyymmdd), std::string(region),
                           std::string(service),
                           derive_signing_key(secret_access_key, date_yyyymmdd, region, service)});
  return entries_.back().key;
}

signature_result sign(const signable_request& request, const credentials& creds, const signing_params& params,
                      signing_key_cache* cache) {
  const amz_date_buffer date_buffer = format_amz_date(params.time);
  const std::string_view date(date_buffer.data(), date_buffer.size());
  const std::string_view day = date.substr(0, 8);
  const bool has_token = !creds.session_token.empty();

  char payload_hash_buffer[hex_digest_length];
  write_hex(sha256(request.body), payload_hash_buffer);
  const std::string_view payload_hash(payload_hash_buffer, hex_digest_length);

  header_refs signed_headers;
  for (const http::header& header : request.headers) {
    if (is_signer_owned(header.name, params) || is_listed(params.unsigned_headers, header.name)) continue;
    signed_headers.push_back({header.name, header.value});
  }
  signed_headers.push_back({"x-amz-date", date});
  // omit_session_token (aws-c-auth's flag): the token travels on the request but is not signed.
  if (has_token && !params.omit_session_token) {
    signed_headers.push_back({"x-amz-security-token", creds.session_token});
  }
  if (params.sign_body) signed_headers.push_back({"x-amz-content-sha256", payload_hash});

  signature_result result;
  const text_range signed_list = append_canonical_request(
      result.canonical_request,
      {request.method, request.path, request.query, params.normalize_path, signed_headers, payload_hash});

  const text_range scope = append_authorization_prefix(
      result.authorization, creds.access_key_id, day, params,
      std::string_view(result.canonical_request).substr(signed_list.offset, signed_list.size));
  append_string_to_sign(result.string_to_sign, date,
                        std::string_view(result.authorization).substr(scope.offset, scope.size),
                        sha256(result.canonical_request));

  sha256_digest derived_key;
  const sha256_digest* key = &derived_key;
  if (cache) {
    key = &cache->get(creds.secret_access_key, day, params.region, params.service);
  } else {
    derived_key = derive_signing_key(creds.secret_access_key, day, params.region, params.service);
  }
  result.signature = to_hex(hmac_sha256(*key, result.string_to_sign));
  result.authorization += result.signature;

  result.headers_to_add.push_back({"X-Amz-Date", std::string(date)});
  if (has_token) result.headers_to_add.push_back({"X-Amz-Security-Token", creds.session_token});
  if (params.sign_body) result.headers_to_add.push_back({"x-amz-content-sha256", std::string(payload_hash)});
  result.headers_to_add.push_back({"Authorization", result.authorization});
  return result;
}

void sign_in_place(http::request& request, std::string_view host_header, const credentials& creds,
                   const signing_params& params, signing_key_cache& cache) {
  const amz_date_buffer date_buffer = format_amz_date(params.time);
  const std::string_view date(date_buffer.data(), date_buffer.size());
  const std::string_view day = date.substr(0, 8);
  const bool has_token = !creds.session_token.empty();
  const bool sign_token = has_token && !params.omit_session_token;
  std::vector<http::header>& headers = request.headers;

  // A previous signature's headers (this request is being retried) must not be signed.
  erase_headers(headers, "authorization");
  if (!has_header(headers, "host")) headers.push_back({"Host", std::string(host_header)});
  set_header(headers, "X-Amz-Date", date);
  if (sign_token) {
    set_header(headers, "X-Amz-Security-Token", creds.session_token);
  } else {
    erase_headers(headers, "x-amz-security-token");  // none now, or added unsigned below
  }
  char payload_hash_buffer[hex_digest_length];
  write_hex(sha256(request.body), payload_hash_buffer);
  const std::string_view payload_hash(payload_hash_buffer, hex_digest_length);
  if (params.sign_body) set_header(headers, "x-amz-content-sha256", payload_hash);

  header_refs signed_headers;
  for (const http::header& header : headers) {
    if (!is_listed(params.unsigned_headers, header.name)) signed_headers.push_back({header.name, header.value});
  }
  const std::string_view target = request.target;
  const std::size_t question = std::min(target.find('?'), target.size());
  const std::string_view query = question < target.size() ? target.substr(question + 1) : std::string_view{};

  // One buffer holds the canonical request, then the string to sign.
  std::string buffer;
  buffer.reserve(256 + target.size() + 2 * creds.session_token.size() + 64 * headers.size());
  const text_range signed_list = append_canonical_request(
      buffer, {request.method, target.substr(0, question), query, params.normalize_path, signed_headers, payload_hash});

  std::string authorization;
  authorization.reserve(160 + creds.access_key_id.size() + params.region.size() + params.service.size() +
                        signed_list.size);
  const text_range scope = append_authorization_prefix(
      authorization, creds.access_key_id, day, params,
      std::string_view(buffer).substr(signed_list.offset, signed_list.size));

  const sha256_digest canonical_request_hash = sha256(buffer);
  buffer.clear();
  append_string_to_sign(buffer, date, std::string_view(authorization).substr(scope.offset, scope.size),
                        canonical_request_hash);

  const sha256_digest& key = cache.get(creds.secret_access_key, day, params.region, params.service);
  char signature[hex_digest_length];
  write_hex(hmac_sha256(key, buffer), signature);
  authorization.append(signature, hex_digest_length);

  if (has_token && params.omit_session_token) headers.push_back({"X-Amz-Security-Token", creds.session_token});
  headers.push_back({"Authorization", std::move(authorization)});
}

}  // namespace scavenger::aws
