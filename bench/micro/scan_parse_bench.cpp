// Parsing a 1 MB Scan page (DynamoDB's page size limit) into items with raw key values.
#include <benchmark/benchmark.h>

#include <string>

#include "dynamodb/protocol.hpp"

namespace {

// A page of the original's table shape, projected to the key and the age attribute.
std::string one_megabyte_scan_page() {
  std::string body = R"({"Count":COUNT,"Items":[)";
  int count = 0;
  while (body.size() < 1'000'000) {
    if (count > 0) body += ',';
    const auto id = std::to_string(1'000'000 + count);
    body += R"({"WorkerId":{"N":")" + id + R"("},"StartTime":{"S":"2026-11-20T08:15:)" + std::to_string(10 + count % 50) +
            R"(.123456Z"},"StartExecutionTime":{"S":"2026-11-20T08:15:)" + std::to_string(10 + count % 50) + R"(Z"}})";
    ++count;
  }
  body += R"(],"ScannedCount":)" + std::to_string(count) +
          R"(,"LastEvaluatedKey":{"WorkerId":{"N":"1"},"StartTime":{"S":"x"}},"ConsumedCapacity":{"TableName":"Workers","CapacityUnits":128.5}})";
  body.replace(body.find("COUNT"), 5, std::to_string(count));
  return body;
}

void parse_scan_page_1mb(benchmark::State& state) {
  const std::string page = one_megabyte_scan_page();
  std::string body;
  body.reserve(page.size() + 64);
  std::size_t items = 0;
  for (auto _ : state) {
    body.assign(page);  // the parser reads the buffer in place, as the client does
    auto parsed = scavenger::dynamodb::protocol::parse_scan_page(body);
    if (!parsed) {
      state.SkipWithError(parsed.error().message.c_str());
      break;
    }
    items = parsed->items.size();
    benchmark::DoNotOptimize(parsed->items.data());
  }
  const auto iterations = static_cast<std::size_t>(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(iterations * page.size()));
  state.counters["items_per_page"] = static_cast<double>(items);
  state.counters["ns_per_item"] = benchmark::Counter(static_cast<double>(iterations * items),
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(parse_scan_page_1mb)->Unit(benchmark::kMicrosecond);

}  // namespace
