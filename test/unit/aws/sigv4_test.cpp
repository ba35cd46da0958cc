// SigV4 against AWS's published test suite (as packaged by aws-c-auth), aws-sdk-js's DynamoDB
// example, and the properties the DynamoDB client relies on (in-place signing, re-signing on
// retries, the signing-key cache). The file format is documented in
// ../shared/testdata/sigv4/README.md.

#include "aws/sigv4.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

namespace scavenger::aws {
namespace {

namespace fs = std::filesystem;

const fs::path testdata_dir{SCAVENGER_SIGV4_TESTDATA};

// Every header-signing case of the suite. Hard-coded so that a case missing from the folder
// fails (see the_folder_holds_exactly_these_cases) instead of silently not running.
const std::vector<std::string> suite_cases{
    "get-header-key-duplicate",
    "get-header-value-multiline",
    "get-header-value-order",
    "get-header-value-trim",
    "get-relative-normalized",
    "get-relative-relative-normalized",
    "get-relative-relative-unnormalized",
    "get-relative-unnormalized",
    "get-slash-dot-slash-normalized",
    "get-slash-dot-slash-unnormalized",
    "get-slash-normalized",
    "get-slash-pointless-dot-normalized",
    "get-slash-pointless-dot-unnormalized",
    "get-slash-unnormalized",
    "get-slashes-normalized",
    "get-slashes-unnormalized",
    "get-space-normalized",
    "get-space-unnormalized",
    "get-unreserved",
    "get-utf8",
    "get-vanilla",
    "get-vanilla-empty-query-key",
    "get-vanilla-query",
    "get-vanilla-query-order-encoded",
    "get-vanilla-query-order-key-case",
    "get-vanilla-query-unreserved",
    "get-vanilla-utf8-query",
    "get-vanilla-with-session-token",
    "post-header-key-case",
    "post-header-key-sort",
    "post-header-value-case",
    "post-sts-header-after",
    "post-sts-header-before",
    "post-vanilla",
    "post-vanilla-empty-query-value",
    "post-vanilla-query",
    "post-x-www-form-urlencoded",
    "post-x-www-form-urlencoded-parameters",
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// request.txt as aws-c-auth reads it: "METHOD target HTTP/1.1" (the target may hold spaces),
// "Name:value" split at the first colon with the value kept as is, lines starting with
// whitespace continuing the previous value, a blank line, then the body.
struct parsed_request {
  std::string method;
  std::string path;
  std::string query;
  std::vector<http::header> headers;
  std::string body;
};

parsed_request parse_request(std::string_view text) {
  parsed_request out;
  std::size_t position = 0;
  auto next_line = [&] {
    const std::size_t end = std::min(text.find('\n', position), text.size());
    const std::string_view line = text.substr(position, end - position);
    position = std::min(end + 1, text.size() + 1);
    return line;
  };
  const std::string_view request_line = next_line();
  const std::size_t method_end = request_line.find(' ');
  const std::size_t target_end = request_line.rfind(' ');
  if (method_end == std::string_view::npos || target_end <= method_end) {
    throw std::runtime_error("bad request line: " + std::string(request_line));
  }
  out.method = request_line.substr(0, method_end);
  const std::string_view target = request_line.substr(method_end + 1, target_end - method_end - 1);
  const std::size_t question = target.find('?');
  out.path = target.substr(0, question);
  if (question != std::string_view::npos) out.query = target.substr(question + 1);

  while (position <= text.size()) {
    const std::string_view line = next_line();
    if (line.empty()) {
      if (position <= text.size()) out.body = text.substr(position);
      break;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      if (out.headers.empty()) throw std::runtime_error("continuation line before any header");
      out.headers.back().value.append("\n").append(line);
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) throw std::runtime_error("bad header line: " + std::string(line));
    out.headers.push_back({std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))});
  }
  return out;
}

// "2015-08-30T12:36:00Z"
std::chrono::system_clock::time_point parse_utc_timestamp(std::string_view text) {
  auto number = [&](std::size_t at, std::size_t digits) {
    int value = 0;
    for (std::size_t i = at; i < at + digits; ++i) value = value * 10 + (text.at(i) - '0');
    return value;
  };
  using namespace std::chrono;
  const year_month_day date{year{number(0, 4)}, month{static_cast<unsigned>(number(5, 2))},
                            day{static_cast<unsigned>(number(8, 2))}};
  return sys_days{date} + hours{number(11, 2)} + minutes{number(14, 2)} + seconds{number(17, 2)};
}

struct signing_context {
  credentials creds;
  signing_params params;
};

signing_context parse_context(const std::string& json) {
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(json);
  signing_context out;
  const simdjson::dom::element creds = root["credentials"];
  out.creds.access_key_id = std::string_view(creds["access_key_id"]);
  out.creds.secret_access_key = std::string_view(creds["secret_access_key"]);
  if (std::string_view token; creds["token"].get(token) == simdjson::SUCCESS) out.creds.session_token = token;
  out.params.region = std::string_view(root["region"]);
  out.params.service = std::string_view(root["service"]);
  out.params.time = parse_utc_timestamp(std::string_view(root["timestamp"]));
  out.params.normalize_path = bool(root["normalize"]);
  out.params.sign_body = bool(root["sign_body"]);
  if (bool omit = false; root["omit_session_token"].get(omit) == simdjson::SUCCESS) {
    out.params.omit_session_token = omit;
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

// Headers as a multiset: names compared case-insensitively, values exactly.
std::multiset<std::pair<std::string, std::string>> header_multiset(const std::vector<http::header>& headers) {
  std::multiset<std::pair<std::string, std::string>> out;
  for (const http::header& header : headers) out.emplace(lower(header.name), header.value);
  return out;
}

std::vector<http::header> concatenated(std::vector<http::header> first, const std::vector<http::header>& second) {
  first.insert(first.end(), second.begin(), second.end());
  return first;
}

std::size_t count_headers(const std::vector<http::header>& headers, std::string_view lower_name) {
  return static_cast<std::size_t>(std::count_if(headers.begin(), headers.end(), [&](const http::header& header) {
    return lower(header.name) == lower_name;
  }));
}

std::string header_value(const std::vector<http::header>& headers, std::string_view lower_name) {
  for (const http::header& header : headers) {
    if (lower(header.name) == lower_name) return header.value;
  }
  return "<missing " + std::string(lower_name) + ">";
}

// ---- the AWS suite ----

TEST(sigv4_suite_files, the_folder_holds_exactly_these_cases) {
  std::set<std::string> folders;
  for (const fs::directory_entry& entry : fs::directory_iterator(testdata_dir)) {
    if (entry.is_directory()) folders.insert(entry.path().filename().string());
  }
  EXPECT_EQ(folders, std::set<std::string>(suite_cases.begin(), suite_cases.end()));
  EXPECT_EQ(suite_cases.size(), 38u);
}

class sigv4_suite_case : public testing::TestWithParam<std::string> {
 protected:
  fs::path folder() const { return testdata_dir / GetParam(); }
  std::string expected(const char* file) const { return read_file(folder() / file); }
};

TEST_P(sigv4_suite_case, header_signing_matches_the_golden_files) {
  const parsed_request request = parse_request(read_file(folder() / "request.txt"));
  const signing_context context = parse_context(read_file(folder() / "context.json"));

  const signature_result result =
      sign({request.method, request.path, request.query, request.headers, request.body}, context.creds, context.params);

  EXPECT_EQ(result.canonical_request, expected("header-canonical-request.txt"));
  EXPECT_EQ(result.string_to_sign, expected("header-string-to-sign.txt"));
  EXPECT_EQ(result.signature, expected("header-signature.txt"));

  // The request with headers_to_add is the signed request of the suite.
  const parsed_request signed_request = parse_request(expected("header-signed-request.txt"));
  EXPECT_EQ(signed_request.method, request.method);
  EXPECT_EQ(signed_request.path, request.path);
  EXPECT_EQ(signed_request.body, request.body);
  EXPECT_EQ(header_multiset(concatenated(request.headers, result.headers_to_add)),
            header_multiset(signed_request.headers));
}

TEST_P(sigv4_suite_case, sign_in_place_produces_the_golden_signed_request) {
  const parsed_request request = parse_request(read_file(folder() / "request.txt"));
  const signing_context context = parse_context(read_file(folder() / "context.json"));
  const parsed_request signed_request = parse_request(expected("header-signed-request.txt"));

  http::request in_place;
  in_place.method = request.method;
  in_place.target = request.query.empty() ? request.path : request.path + "?" + request.query;
  in_place.headers = request.headers;
  in_place.body = request.body;
  signing_key_cache cache;
  sign_in_place(in_place, "unused.example", context.creds, context.params, cache);

  EXPECT_EQ(header_value(in_place.headers, "authorization"), header_value(signed_request.headers, "authorization"));
  EXPECT_EQ(header_multiset(in_place.headers), header_multiset(signed_request.headers));
  EXPECT_NE(header_value(in_place.headers, "authorization").find(expected("header-signature.txt")), std::string::npos);
}

std::string test_name(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(aws, sigv4_suite_case, testing::ValuesIn(suite_cases), test_name);

// ---- aws-sdk-js's DynamoDB request ----

struct dynamodb_example {
  credentials creds;
  signing_params params;
  std::vector<http::header> headers;
  std::string body;
  std::string amz_date, canonical_request, string_to_sign, signature, authorization, signed_headers;
};

dynamodb_example load_dynamodb_example() {
  const std::string json = read_file(testdata_dir / "dynamodb-example.json");
  simdjson::dom::parser parser;
  const simdjson::dom::element root = parser.parse(json);
  dynamodb_example out;
  out.creds.access_key_id = std::string_view(root["access_key"]);
  out.creds.secret_access_key = std::string_view(root["secret_key"]);
  out.creds.session_token = std::string_view(root["session_token"]);
  out.params.region = std::string_view(root["region"]);
  out.params.service = std::string_view(root["service"]);
  out.params.time =
      std::chrono::system_clock::time_point{std::chrono::milliseconds{int64_t(root["timestamp_ms_since_epoch"])}};
  for (const simdjson::dom::element name : simdjson::dom::array(root["unsigned_headers"])) {
    out.params.unsigned_headers.emplace_back(std::string_view(name));
  }
  for (const simdjson::dom::key_value_pair field : simdjson::dom::object(root["headers"])) {
    out.headers.push_back({std::string(field.key), std::string(std::string_view(field.value))});
  }
  out.body = std::string_view(root["body"]);
  out.amz_date = std::string_view(root["amz_date"]);
  out.canonical_request = std::string_view(root["expected_canonical_request"]);
  out.string_to_sign = std::string_view(root["expected_string_to_sign"]);
  out.signature = std::string_view(root["expected_signature"]);
  out.authorization = std::string_view(root["expected_authorization"]);
  out.signed_headers = std::string_view(root["signed_headers"]);
  return out;
}

TEST(sigv4_dynamodb_example, sign_reproduces_aws_sdk_js) {
  const dynamodb_example example = load_dynamodb_example();
  ASSERT_EQ(example.body.size(), 34u);  // "bår" is UTF-8

  const signature_result result = sign({"POST", "/", "", example.headers, example.body}, example.creds, example.params);

  EXPECT_EQ(amz_date(example.params.time), example.amz_date);
  EXPECT_EQ(result.canonical_request, example.canonical_request);
  EXPECT_EQ(result.string_to_sign, example.string_to_sign);
  EXPECT_EQ(result.signature, example.signature);
  EXPECT_EQ(result.authorization, example.authorization);
  EXPECT_NE(result.authorization.find("SignedHeaders=" + example.signed_headers + ","), std::string::npos);
}

TEST(sigv4_dynamodb_example, sign_in_place_reproduces_aws_sdk_js_without_duplicating_headers) {
  const dynamodb_example example = load_dynamodb_example();
  http::request request;
  request.method = "POST";
  request.target = "/";
  request.headers = example.headers;  // already carries X-Amz-Date and the token: replaced, not repeated
  request.body = example.body;
  signing_key_cache cache;

  sign_in_place(request, "localhost", example.creds, example.params, cache);

  EXPECT_EQ(header_value(request.headers, "authorization"), example.authorization);
  EXPECT_EQ(count_headers(request.headers, "x-amz-date"), 1u);
  EXPECT_EQ(count_headers(request.headers, "x-amz-security-token"), 1u);
  EXPECT_EQ(count_headers(request.headers, "host"), 1u);
  EXPECT_EQ(count_headers(request.headers, "authorization"), 1u);
  EXPECT_EQ(request.headers.size(), example.headers.size() + 1);
}

// ---- the DynamoDB fast path ----

const credentials session_credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                      "FwoGZXIvYXdzEBYaDEXAMPLE+/token==", std::nullopt};

signing_params dynamodb_params(std::chrono::system_clock::time_point time) {
  signing_params params;
  params.region = "eu-west-1";
  params.service = "dynamodb";
  params.time = time;
  return params;
}

http::request dynamodb_request() {
  http::request request;
  request.method = "POST";
  request.target = "/";
  request.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                     {"X-Amz-Target", "DynamoDB_20120810.DeleteItem"},
                     {"Content-Length", "61"}};
  request.body = R"({"TableName":"jobs","Key":{"pk":{"S":"job#1"}},"ReturnValues":"NONE"})";
  return request;
}

const std::chrono::system_clock::time_point example_time = parse_utc_timestamp("2024-02-29T23:59:59Z");

TEST(sigv4_sign_in_place, matches_sign_and_adds_host) {
  http::request in_place = dynamodb_request();
  signing_key_cache cache;
  sign_in_place(in_place, "dynamodb.eu-west-1.amazonaws.com", session_credentials, dynamodb_params(example_time),
                cache);

  std::vector<http::header> with_host = dynamodb_request().headers;
  with_host.push_back({"Host", "dynamodb.eu-west-1.amazonaws.com"});
  const http::request original = dynamodb_request();
  const signature_result expected =
      sign({"POST", "/", "", with_host, original.body}, session_credentials, dynamodb_params(example_time));

  EXPECT_EQ(header_value(in_place.headers, "authorization"), expected.authorization);
  EXPECT_EQ(header_multiset(in_place.headers), header_multiset(concatenated(with_host, expected.headers_to_add)));
  EXPECT_EQ(header_value(in_place.headers, "x-amz-date"), "20240229T235959Z");
  EXPECT_NE(expected.authorization.find("Credential=AKIDEXAMPLE/20240229/eu-west-1/dynamodb/aws4_request, "),
            std::string::npos);
  EXPECT_NE(expected.authorization.find(
                "SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "),
            std::string::npos);
}

TEST(sigv4_sign_in_place, keeps_an_existing_host_header) {
  http::request request = dynamodb_request();
  request.headers.push_back({"host", "localhost:8000"});
  signing_key_cache cache;
  sign_in_place(request, "ignored.example", session_credentials, dynamodb_params(example_time), cache);
  EXPECT_EQ(count_headers(request.headers, "host"), 1u);
  EXPECT_EQ(header_value(request.headers, "host"), "localhost:8000");
}

TEST(sigv4_sign_in_place, re_signing_a_retried_request_replaces_the_previous_signature) {
  signing_key_cache cache;
  http::request retried = dynamodb_request();
  sign_in_place(retried, "localhost", session_credentials, dynamodb_params(example_time), cache);
  const std::string first_authorization = header_value(retried.headers, "authorization");

  // The retry runs a second later with refreshed credentials that have no session token.
  const credentials refreshed{"AKIDOTHER", "other-secret", "", std::nullopt};
  const auto later = example_time + std::chrono::seconds{1};
  sign_in_place(retried, "localhost", refreshed, dynamodb_params(later), cache);

  http::request fresh = dynamodb_request();
  sign_in_place(fresh, "localhost", refreshed, dynamodb_params(later), cache);
  EXPECT_EQ(header_multiset(retried.headers), header_multiset(fresh.headers));
  EXPECT_EQ(count_headers(retried.headers, "authorization"), 1u);
  EXPECT_EQ(count_headers(retried.headers, "x-amz-date"), 1u);
  EXPECT_EQ(count_headers(retried.headers, "x-amz-security-token"), 0u);
  EXPECT_NE(header_value(retried.headers, "authorization"), first_authorization);
  EXPECT_EQ(header_value(retried.headers, "x-amz-date"), "20240301T000000Z");  // the scope moves to the new day
}

TEST(sigv4_sign_in_place, omitted_session_token_is_sent_but_not_signed) {
  signing_params params = dynamodb_params(example_time);
  params.omit_session_token = true;
  http::request request = dynamodb_request();
  signing_key_cache cache;
  sign_in_place(request, "localhost", session_credentials, params, cache);

  EXPECT_EQ(header_value(request.headers, "x-amz-security-token"), session_credentials.session_token);
  EXPECT_EQ(header_value(request.headers, "authorization").find("x-amz-security-token"), std::string::npos);

  const credentials without_token{session_credentials.access_key_id, session_credentials.secret_access_key, "",
                                  std::nullopt};
  http::request unsigned_token = dynamodb_request();
  sign_in_place(unsigned_token, "localhost", without_token, dynamodb_params(example_time), cache);
  EXPECT_EQ(header_value(request.headers, "authorization"), header_value(unsigned_token.headers, "authorization"));
}

TEST(sigv4_sign_in_place, sign_body_adds_and_signs_the_content_hash) {
  signing_params params = dynamodb_params(example_time);
  params.sign_body = true;
  http::request request = dynamodb_request();
  signing_key_cache cache;
  sign_in_place(request, "localhost", session_credentials, params, cache);
  EXPECT_EQ(header_value(request.headers, "x-amz-content-sha256"), hex_sha256(request.body));
  EXPECT_NE(header_value(request.headers, "authorization").find(";x-amz-content-sha256;"), std::string::npos);
}

// ---- signing key ----

TEST(sigv4_signing_key, matches_the_aws_documentation_example) {
  // https://docs.aws.amazon.com/general/latest/gr/signature-v4-examples.html
  EXPECT_EQ(to_hex(derive_signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(sigv4_signing_key, cache_returns_the_same_key_for_the_same_inputs) {
  signing_key_cache cache;
  const sha256_digest first = cache.get("secret-1", "20240229", "eu-west-1", "dynamodb");
  const sha256_digest again = cache.get("secret-1", "20240229", "eu-west-1", "dynamodb");
  EXPECT_EQ(first, again);
  EXPECT_EQ(first, derive_signing_key("secret-1", "20240229", "eu-west-1", "dynamodb"));
}

TEST(sigv4_signing_key, cache_derives_a_new_key_when_the_secret_is_refreshed) {
  signing_key_cache cache;
  const sha256_digest before = cache.get("secret-1", "20240229", "eu-west-1", "dynamodb");
  const sha256_digest after = cache.get("secret-2", "20240229", "eu-west-1", "dynamodb");
  EXPECT_NE(before, after);
  EXPECT_EQ(after, derive_signing_key("secret-2", "20240229", "eu-west-1", "dynamodb"));
  EXPECT_EQ(cache.get("secret-1", "20240229", "eu-west-1", "dynamodb"), before);
}

TEST(sigv4_signing_key, cache_keys_by_date_region_and_service) {
  signing_key_cache cache;
  const sha256_digest base = cache.get("s", "20240229", "eu-west-1", "dynamodb");
  EXPECT_NE(cache.get("s", "20240301", "eu-west-1", "dynamodb"), base);
  EXPECT_NE(cache.get("s", "20240229", "us-east-1", "dynamodb"), base);
  EXPECT_NE(cache.get("s", "20240229", "eu-west-1", "sts"), base);
}

TEST(sigv4_signing_key, cache_stays_correct_past_its_capacity) {
  signing_key_cache cache;
  for (unsigned day = 1; day <= 28; ++day) {
    const std::string date = "202402" + std::string(day < 10 ? "0" : "") + std::to_string(day);
    for (int round = 0; round < 2; ++round) {
      EXPECT_EQ(cache.get("s", date, "eu-west-1", "dynamodb"), derive_signing_key("s", date, "eu-west-1", "dynamodb"))
          << date;
    }
  }
}

TEST(sigv4_signing_key, sign_with_a_cache_equals_sign_without) {
  const parsed_request request = parse_request(read_file(testdata_dir / "post-sts-header-before" / "request.txt"));
  const signing_context context = parse_context(read_file(testdata_dir / "post-sts-header-before" / "context.json"));
  signing_key_cache cache;
  const signable_request signable{request.method, request.path, request.query, request.headers, request.body};
  EXPECT_EQ(sign(signable, context.creds, context.params, &cache).authorization,
            sign(signable, context.creds, context.params).authorization);
}

// ---- the steps ----

TEST(sigv4_steps, amz_date_is_utc_in_whole_seconds) {
  using namespace std::chrono;
  EXPECT_EQ(amz_date(system_clock::time_point{}), "19700101T000000Z");
  EXPECT_EQ(amz_date(parse_utc_timestamp("2015-08-30T12:36:00Z") + milliseconds{999}), "20150830T123600Z");
  EXPECT_EQ(amz_date(parse_utc_timestamp("2099-12-31T23:59:59Z")), "20991231T235959Z");
}

TEST(sigv4_steps, credential_scope_joins_its_parts) {
  EXPECT_EQ(credential_scope("20150830", "us-east-1", "dynamodb"), "20150830/us-east-1/dynamodb/aws4_request");
}

TEST(sigv4_steps, canonical_uri_encodes_an_encoded_path_again) {
  EXPECT_EQ(canonical_uri("/my%20table/", true), "/my%2520table/");
  EXPECT_EQ(canonical_uri("/a b/c+d=e", false), "/a%20b/c%2Bd%3De");
  EXPECT_EQ(canonical_uri("", true), "/");
  EXPECT_EQ(canonical_uri("", false), "/");
}

TEST(sigv4_steps, canonical_uri_normalises_dot_segments) {
  EXPECT_EQ(canonical_uri("/a/b/../c/./d", true), "/a/c/d");
  EXPECT_EQ(canonical_uri("/a/b/../c/./d", false), "/a/b/../c/./d");
  EXPECT_EQ(canonical_uri("/../../a", true), "/a");
  EXPECT_EQ(canonical_uri("/a//b//", true), "/a/b/");
}

TEST(sigv4_steps, canonical_query_decodes_encodes_and_sorts) {
  EXPECT_EQ(canonical_query(""), "");
  EXPECT_EQ(canonical_query("b=2&a=1&a=0"), "a=0&a=1&b=2");
  EXPECT_EQ(canonical_query("key"), "key=");
  EXPECT_EQ(canonical_query("&&a=1&"), "a=1");
  EXPECT_EQ(canonical_query("p=a+b/c"), "p=a%2Bb%2Fc");
  EXPECT_EQ(canonical_query("p=%2f%7E"), "p=%2F~");
  EXPECT_EQ(canonical_query("%zz=%4"), "%25zz=%254");
  EXPECT_EQ(canonical_query("a=x=y"), "a=x%3Dy");
}

TEST(sigv4_steps, header_values_are_trimmed_and_collapsed) {
  const signature_result result =
      sign({"GET", "/", "", {{"Host", "h"}, {"X-Spaced", "\t a \t\t b \r\n   c  "}, {"x-spaced", ""}}, ""},
           session_credentials, dynamodb_params(example_time));
  EXPECT_NE(result.canonical_request.find("\nx-spaced:a b c,\n"), std::string::npos) << result.canonical_request;
}

// Values past the first eight bytes, and control bytes that are not whitespace, take the
// word-at-a-time check's other branches.
TEST(sigv4_steps, long_header_values_are_canonicalised_exactly) {
  const std::string token(1000, 'T');
  const signature_result result = sign({"GET",
                                        "/",
                                        "",
                                        {{"Host", "h"},
                                         {"my-a", "abcdefghijklmnop\tq"},
                                         {"my-b", "abcdefghij  klmnop"},
                                         {"my-c", std::string("abcdefgh\x01ijkl")},
                                         {"my-d", token},
                                         {"my-e", "abcdefghijklmnopqrstuvw\r\n xyz"},
                                         {"my-f", "abcdefghijklmnopqrstuvwxyz "}},
                                        ""},
                                       credentials{"AKID", "secret", "", std::nullopt}, dynamodb_params(example_time));
  EXPECT_NE(result.canonical_request.find("\nmy-a:abcdefghijklmnop q\n"
                                          "my-b:abcdefghij klmnop\n"
                                          "my-c:abcdefgh\x01ijkl\n"
                                          "my-d:" + token + "\n"
                                          "my-e:abcdefghijklmnopqrstuvw xyz\n"
                                          "my-f:abcdefghijklmnopqrstuvwxyz\n"),
            std::string::npos)
      << result.canonical_request;
}

TEST(sigv4_steps, unsigned_headers_are_left_out_of_signed_headers) {
  signing_params params = dynamodb_params(example_time);
  params.unsigned_headers = {"content-type", "user-agent"};
  const signature_result result = sign({"POST",
                                        "/",
                                        "",
                                        {{"Host", "h"}, {"Content-Type", "x"}, {"User-Agent", "scavenger"}},
                                        ""},
                                       credentials{"AKID", "secret", "", std::nullopt}, params);
  EXPECT_NE(result.authorization.find("SignedHeaders=host;x-amz-date, "), std::string::npos) << result.authorization;
  EXPECT_EQ(result.canonical_request.find("content-type"), std::string::npos);
}

}  // namespace
}  // namespace scavenger::aws
