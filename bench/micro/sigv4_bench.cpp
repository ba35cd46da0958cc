// SigV4 signing of a DynamoDB-shaped request: the per-request CPU cost the client pays on
// every call and every retry (each attempt is re-signed with a fresh X-Amz-Date).

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "aws/hashing.hpp"
#include "aws/sigv4.hpp"

namespace {

using namespace scavenger;

const aws::credentials session_credentials{
    "ASIAEXAMPLEKEYID1234", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    // Lambda's role credentials carry a session token of several hundred characters.
    std::string(800, 'T'), std::nullopt};

// A 1 KB BatchWriteItem-like body and the headers the DynamoDB client sends.
http::request dynamodb_request() {
  http::request request;
  request.method = "POST";
  request.target = "/";
  std::string body = R"({"RequestItems":{"jobs":[)";
  for (int i = 0; body.size() < 1000; ++i) {
    body += R"({"DeleteRequest":{"Key":{"pk":{"S":"job#)" + std::to_string(i) + R"("}}}},)";
  }
  body.resize(1023);
  body += '}';
  request.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                     {"X-Amz-Target", "DynamoDB_20120810.BatchWriteItem"},
                     {"Content-Length", std::to_string(body.size())}};
  request.body = std::move(body);
  return request;
}

aws::signing_params dynamodb_params() {
  aws::signing_params params;
  params.region = "eu-west-1";
  params.service = "dynamodb";
  params.time = std::chrono::system_clock::time_point{std::chrono::seconds{1'709'251'199}};
  return params;
}

// Each iteration re-signs the same request, as a retry does: sign_in_place replaces the
// previous signature's headers, so the request does not grow.
void sign_in_place_warm_cache(benchmark::State& state) {
  http::request request = dynamodb_request();
  const aws::signing_params params = dynamodb_params();
  aws::signing_key_cache cache;
  for (auto _ : state) {
    aws::sign_in_place(request, "dynamodb.eu-west-1.amazonaws.com", session_credentials, params, cache);
    benchmark::DoNotOptimize(request.headers.data());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(request.body.size()));
}
BENCHMARK(sign_in_place_warm_cache);

// A new cache each time: the signing-key HMAC chain (four HMACs) is paid on every signature,
// as after a credential refresh or at midnight UTC.
void sign_in_place_cold_cache(benchmark::State& state) {
  http::request request = dynamodb_request();
  const aws::signing_params params = dynamodb_params();
  for (auto _ : state) {
    aws::signing_key_cache cache;
    aws::sign_in_place(request, "dynamodb.eu-west-1.amazonaws.com", session_credentials, params, cache);
    benchmark::DoNotOptimize(request.headers.data());
  }
}
BENCHMARK(sign_in_place_cold_cache);

// The general path, which also returns the canonical request and string to sign.
void sign_general_warm_cache(benchmark::State& state) {
  const http::request request = dynamodb_request();
  std::vector<http::header> headers = request.headers;
  headers.push_back({"Host", "dynamodb.eu-west-1.amazonaws.com"});
  const aws::signable_request signable{"POST", "/", "", headers, request.body};
  const aws::signing_params params = dynamodb_params();
  aws::signing_key_cache cache;
  for (auto _ : state) {
    aws::signature_result result = aws::sign(signable, session_credentials, params, &cache);
    benchmark::DoNotOptimize(result.authorization.data());
  }
}
BENCHMARK(sign_general_warm_cache);

// The floor: hashing the body is part of every signature.
void sha256_of_1kb_body(benchmark::State& state) {
  const std::string body = dynamodb_request().body;
  for (auto _ : state) benchmark::DoNotOptimize(aws::sha256(body));
}
BENCHMARK(sha256_of_1kb_body);

}  // namespace
