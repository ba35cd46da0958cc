#include "scavenger/shard.hpp"

#include <charconv>
#include <cstdint>

namespace scavenger::core {

namespace {

// A whole decimal number with nothing around it; from_chars alone would accept a leading '-'.
bool parse_count(std::string_view text, int& out) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

config_error bad_shard(std::string_view text, std::string_view why) {
  return {"--shard \"" + std::string(text) + "\": " + std::string(why) +
          "; write I/N with 0 <= I < N, e.g. 0/4 for the first of four shards"};
}

}  // namespace

boost::system::result<shard, config_error> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return bad_shard(text, "no '/'");
  shard parsed;
  if (!parse_count(text.substr(0, slash), parsed.index) || !parse_count(text.substr(slash + 1), parsed.count)) {
    return bad_shard(text, "I and N must be whole numbers");
  }
  if (parsed.count < 1) return bad_shard(text, "N must be at least 1");
  if (parsed.index >= parsed.count) return bad_shard(text, "I must be less than N (shards count from 0)");
  return parsed;
}

std::string to_string(shard value) { return std::to_string(value.index) + "/" + std::to_string(value.count); }

boost::system::result<segment_range, config_error> owned_segments(shard owner, int total_segments) {
  if (total_segments < 1 || total_segments > max_total_segments) {
    return config_error{"--segments " + std::to_string(total_segments) + ": DynamoDB scans with 1 to " +
                        std::to_string(max_total_segments) + " segments"};
  }
  if (owner.count < 1 || owner.index < 0 || owner.index >= owner.count) {
    return bad_shard(to_string(owner), "not a shard");
  }
  if (owner.count > total_segments) {
    return config_error{"--shard " + to_string(owner) + " with --segments " + std::to_string(total_segments) +
                        ": more shards than segments, so some shard would own no segment; use at least " +
                        std::to_string(owner.count) + " segments or at most " + std::to_string(total_segments) +
                        " shards"};
  }
  // 64-bit products: I·T overflows int for large segment counts (DynamoDB allows 1,000,000).
  const auto bound = [&](std::int64_t i) {
    return static_cast<int>(i * total_segments / owner.count);
  };
  return segment_range{bound(owner.index), bound(std::int64_t{owner.index} + 1)};
}

}  // namespace scavenger::core
