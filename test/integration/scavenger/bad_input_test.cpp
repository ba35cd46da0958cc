// Bad input gets its exit code (SPEC §7) and one line naming the problem; nothing is deleted.
#include <boost/asio/ip/tcp.hpp>

#include "scavenger_test.hpp"

namespace scavenger::test {
namespace {

// Replaces the value that follows `option` (or the element `option` itself when `value_of` is false).
std::vector<std::string> replaced(std::vector<std::string> arguments, const std::string& option, const std::string& value,
                                  bool value_of = true) {
  auto found = std::find(arguments.begin(), arguments.end(), option);
  if (found == arguments.end()) throw std::logic_error(option + " is not among the arguments");
  *(value_of ? found + 1 : found) = value;
  return arguments;
}

class bad_input : public scavenger_test {
 protected:
  // Runs with `arguments`, expects `exit_code`, an error line containing `mentions`, and the
  // table untouched.
  void expect_refused(const std::string& table, std::int64_t items, const std::vector<std::string>& arguments,
                      int exit_code, const std::string& mentions) {
    auto result = scavenger("run", arguments, std::chrono::seconds(60));
    EXPECT_EQ(result.exit_code, exit_code) << result.err;
    EXPECT_NE(result.err.find(mentions), std::string::npos) << "stderr: " << result.err;
    const auto lines = std::count(result.err.begin(), result.err.end(), '\n');
    EXPECT_EQ(lines, 1) << "one line, not a trace: " << result.err;
    EXPECT_EQ(static_cast<std::int64_t>(items_of(table).size()), items) << "something was deleted";
  }
};

TEST_P(bad_input, each_mistake_is_named_with_its_exit_code) {
  auto table = seed(100, 20);
  const auto rule = original_rule(table);
  expect_refused(table, 100, with(rule, {"--no-such-flag"}), 2, "--no-such-flag");
  expect_refused(table, 100, {"--endpoint-url", url_of(GetParam()), "--older-than", "48h", "--age-attribute", "x"}, 2, "--table");
  expect_refused(table, 100, replaced(rule, "--older-than", "48hours"), 2, "48hours");
  expect_refused(table, 100, replaced(rule, "--expression-attribute-values", R"({":NCompl":{"N":"1"})"), 2,
                 "--expression-attribute-values");
  expect_refused(table, 100, {"--table", table, "--endpoint-url", url_of(GetParam())}, 2, "--all");
  expect_refused(table, 100, replaced(rule, "--filter", "#Comp = = :NCompl"), 1, "ValidationException");
  expect_refused(table, 100, replaced(rule, "--table", "scavenger-no-such-table"), 1, "ResourceNotFoundException");
}

TEST(bad_endpoint, an_unreachable_endpoint_is_fatal_and_quick) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = probe.local_endpoint().port();
  probe.close();
  auto result = run_process(scavenger_binary(),
                            {"run", "--table", "Workers", "--endpoint-url", "http://127.0.0.1:" + std::to_string(port), "--all",
                             "--max-attempts", "3"},
                            {{"AWS_ACCESS_KEY_ID", "x"}, {"AWS_SECRET_ACCESS_KEY", "y"}}, std::chrono::seconds(30));
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("connect"), std::string::npos) << result.err;
  EXPECT_LT(result.elapsed, std::chrono::seconds(5));
}

SCAVENGER_ON_BOTH_EMULATORS(bad_input);

}  // namespace
}  // namespace scavenger::test
