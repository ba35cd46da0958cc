#pragma once
// AWS Signature Version 4, as a pure function of (request, credentials, time).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// Steps, each exposed for the AWS test suite: signing key -> canonical request ->
// string to sign -> signature.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.hpp"
#include "http/message.hpp"

namespace scavenger::aws {

using sha256_digest = std::array<std::uint8_t, 32>;

std::string hex_sha256(std::string_view data);
// kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")
sha256_digest derive_signing_key(std::string_view secret_access_key, std::string_view date_yyyymmdd,
                                 std::string_view region, std::string_view service);

struct signing_params {
  std::string region;
  std::string service;  // "dynamodb"
  std::chrono::system_clock::time_point time;
  bool normalize_path = true;       // S3 is the exception; DynamoDB normalises
  bool sign_body = false;           // add and sign x-amz-content-sha256
  bool omit_session_token = false;  // put X-Amz-Security-Token on the request without signing it
};

// A request to sign: method, raw path and query as on the request line, and its headers
// (Host among them). Header names are matched case-insensitively.
struct signable_request {
  std::string method;
  std::string path;   // raw, before URI encoding: "/", "/example space/"
  std::string query;  // raw, without '?', may be empty
  std::vector<http::header> headers;
  std::string_view body;
};

struct signature_result {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // 64 lower-case hex digits
  std::string authorization;
  // Headers to put on the request: X-Amz-Date, X-Amz-Security-Token (when a token exists),
  // x-amz-content-sha256 (when sign_body), Authorization.
  std::vector<http::header> headers_to_add;
};

// Caches derived signing keys per (secret key, date, region, service): one HMAC chain a day,
// never a stale key when credentials are refreshed (the secret is part of the cache key).
// Not thread-safe.
class signing_key_cache {
 public:
  const sha256_digest& get(std::string_view secret_access_key, std::string_view date_yyyymmdd,
                           std::string_view region, std::string_view service);

 private:
  struct entry {
    std::string secret, date, region, service;
    sha256_digest key;
  };
  std::vector<entry> entries_;  // a handful at most: one per credential set and day
};

// Signs with the Authorization header. `cache` may be null (the key is then derived).
signature_result sign(const signable_request& request, const credentials& creds, const signing_params& params,
                      signing_key_cache* cache = nullptr);

// Signs an http::request for `host_header` in place (adds Host if missing, then the headers above).
// The fast path for DynamoDB's POST / requests.
void sign_in_place(http::request& request, std::string_view host_header, const credentials& creds,
                   const signing_params& params, signing_key_cache& cache);

}  // namespace scavenger::aws
