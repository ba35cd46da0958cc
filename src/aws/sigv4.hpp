#pragma once
// AWS Signature Version 4, as a pure function of (request, credentials, time).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
// Steps, each exposed for the AWS test suite: signing key -> canonical request ->
// string to sign -> signature.
//
// Thread-safety: the free functions are pure and safe from any thread; a signing_key_cache
// belongs to one thread (or one strand) at a time.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.hpp"
#include "aws/hashing.hpp"  // sha256_digest, hex_sha256
#include "http/message.hpp"

namespace scavenger::aws {

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
  // Lower-case names of request headers left out of SignedHeaders (aws-sdk-js leaves out
  // content-type and content-length, for one). Empty for DynamoDB: we sign all we send.
  std::vector<std::string> unsigned_headers;
};

// A request to sign: method, raw path and query as on the request line, and its headers
// (Host among them). Header names are matched case-insensitively. The signer owns
// Authorization, X-Amz-Date, X-Amz-Security-Token and, with sign_body, x-amz-content-sha256:
// such headers on the request are ignored, and the caller replaces them with headers_to_add.
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

// The steps, exposed for tests.
// "20150830T123600Z" (UTC, whole seconds): X-Amz-Date; its first 8 characters date the scope.
std::string amz_date(std::chrono::system_clock::time_point time);
// "20150830/us-east-1/service/aws4_request"
std::string credential_scope(std::string_view date_yyyymmdd, std::string_view region, std::string_view service);
// The path as sent is taken to be URI-encoded already and is encoded once more (every
// service but S3 double-encodes), keeping RFC 3986 unreserved characters and '/'. With
// `normalize`, empty and "." segments are dropped and ".." resolved first.
std::string canonical_uri(std::string_view raw_path, bool normalize);
// Parameters percent-decoded, then encoded canonically (only unreserved characters kept;
// '+' is a literal plus, not a space) and sorted by encoded key, then encoded value.
std::string canonical_query(std::string_view raw_query);

// Caches derived signing keys per (secret key, date, region, service): one HMAC chain a day,
// never a stale key when credentials are refreshed (the secret is part of the cache key).
// Not thread-safe.
class signing_key_cache {
 public:
  // The reference stays valid until the next call to get().
  const sha256_digest& get(std::string_view secret_access_key, std::string_view date_yyyymmdd,
                           std::string_view region, std::string_view service);

 private:
  struct entry {
    std::string secret, date, region, service;
    sha256_digest key;
  };
  std::vector<entry> entries_;  // a handful at most: one per credential set and day
};

// Signs with the Authorization header; the request must carry its Host header. `cache` may be
// null (the key is then derived).
signature_result sign(const signable_request& request, const credentials& creds, const signing_params& params,
                      signing_key_cache* cache = nullptr);

// Signs an http::request for `host_header` in place (adds Host if missing, then the headers above).
// The fast path for DynamoDB's POST / requests. Every header on the request is signed except
// params.unsigned_headers. Re-signing a request (a retry, or refreshed credentials) replaces
// the Authorization, X-Amz-Date and X-Amz-Security-Token of the previous signature.
void sign_in_place(http::request& request, std::string_view host_header, const credentials& creds,
                   const signing_params& params, signing_key_cache& cache);

}  // namespace scavenger::aws
