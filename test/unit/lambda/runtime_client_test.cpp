// The Runtime API client against an in-process server: what /next's headers become, and the
// exact shape of /response, /error and /init/error (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdlib>

#include <boost/asio/io_context.hpp>

#include "lambda/runtime_client.hpp"
#include "support/http_fixture.hpp"
#include "support/run_coroutine.hpp"

namespace scavenger::lambda {
namespace {

using test::fixture_request;
using test::fixture_response;

fixture_response next_event(const fixture_request&) {
  fixture_response answer;
  answer.headers = {{"Lambda-Runtime-Aws-Request-Id", "8476a536-e9f4-11e8-9739-2dfe598c3fcd"},
                    {"Lambda-Runtime-Deadline-Ms", "1542409706888"},
                    {"Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"},
                    {"Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime"}};
  answer.body = R"({"table":"Workers"})";
  return answer;
}

class lambda_runtime_client : public ::testing::Test {
 protected:
  runtime_client client_for(const test::http_fixture& server) {
    return runtime_client(io_.get_executor(), runtime_client::endpoint_of("127.0.0.1:" + std::to_string(server.port())).value());
  }
  boost::asio::io_context io_;
};

TEST_F(lambda_runtime_client, next_reads_the_invocation_from_the_headers_and_sets_the_trace_id) {
  test::http_fixture server(next_event);
  auto runtime = client_for(server);
  auto next = test::run(io_, runtime.next());
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->request_id, "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
  ASSERT_TRUE(next->deadline.has_value());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(next->deadline->time_since_epoch()).count(), 1542409706888);
  EXPECT_EQ(next->function_arn, "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime");
  EXPECT_EQ(next->body, R"({"table":"Workers"})");
  const char* trace = std::getenv("_X_AMZN_TRACE_ID");
  ASSERT_NE(trace, nullptr);
  EXPECT_EQ(std::string(trace), next->trace_id);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/2018-06-01/runtime/invocation/next");
}

TEST_F(lambda_runtime_client, next_without_a_request_id_is_an_error) {
  test::http_fixture server([](const fixture_request&) { return fixture_response{200, {}, "{}"}; });
  auto runtime = client_for(server);
  auto next = test::run(io_, runtime.next());
  ASSERT_FALSE(next);
  EXPECT_NE(next.error().message.find("Lambda-Runtime-Aws-Request-Id"), std::string::npos);
}

TEST_F(lambda_runtime_client, response_error_and_init_error_follow_the_protocol) {
  test::http_fixture server([](const fixture_request&) { return fixture_response{202, {}, R"({"status":"OK"})"}; });
  auto runtime = client_for(server);
  ASSERT_TRUE(test::run(io_, runtime.post_response("id-1", R"({"complete":true})")));
  ASSERT_TRUE(test::run(io_, runtime.post_error("id-2", "Scavenger.InvalidEvent", "unknown field 'x' \"quoted\"")));
  ASSERT_TRUE(test::run(io_, runtime.post_init_error("Scavenger.InvalidEnvironment", "bad")));

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].target, "/2018-06-01/runtime/invocation/id-1/response");
  EXPECT_EQ(requests[0].body, R"({"complete":true})");
  EXPECT_FALSE(requests[0].header_value("Lambda-Runtime-Function-Error-Type").has_value());
  EXPECT_EQ(requests[1].target, "/2018-06-01/runtime/invocation/id-2/error");
  EXPECT_EQ(requests[1].header_value("Lambda-Runtime-Function-Error-Type").value_or(""), "Scavenger.InvalidEvent");
  EXPECT_EQ(requests[1].body, R"({"errorMessage":"unknown field 'x' \"quoted\"","errorType":"Scavenger.InvalidEvent","stackTrace":[]})");
  EXPECT_EQ(requests[2].target, "/2018-06-01/runtime/init/error");
  EXPECT_EQ(requests[2].header_value("Lambda-Runtime-Function-Error-Type").value_or(""), "Scavenger.InvalidEnvironment");
  for (const auto& request : requests) EXPECT_EQ(request.method, "POST");
}

TEST_F(lambda_runtime_client, a_refused_answer_is_an_error) {
  test::http_fixture server([](const fixture_request&) { return fixture_response{413, {}, R"({"errorType":"RequestTooLarge"})"}; });
  auto runtime = client_for(server);
  auto posted = test::run(io_, runtime.post_response("id-1", "{}"));
  ASSERT_FALSE(posted);
  EXPECT_NE(posted.error().message.find("413"), std::string::npos) << posted.error().message;
}

TEST(lambda_runtime_endpoint, is_host_and_port) {
  auto endpoint = runtime_client::endpoint_of("127.0.0.1:9001");
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->host, "127.0.0.1");
  EXPECT_EQ(endpoint->port, 9001);
  EXPECT_FALSE(runtime_client::endpoint_of(""));
}

}  // namespace
}  // namespace scavenger::lambda
