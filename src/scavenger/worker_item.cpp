#include "scavenger/worker_item.hpp"

#include <array>
#include <compare>
#include <cstdio>
#include <string>

#include "aws/rfc3339.hpp"
#include "scavenger/attribute_value.hpp"
#include "scavenger/decimal.hpp"

namespace scavenger::core {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Items per WorkerId: each worker has several runs, told apart by StartTime.
constexpr std::int64_t runs_per_worker = 4;

// SplitMix64: a well-mixed, deterministic pseudo-random value per index (ages, tokens), so a
// seeded table is the same on every run with the same `now` and can be verified item by item.
std::uint64_t mix(std::uint64_t value) noexcept {
  value += 0x9e3779b97f4a7c15ULL;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31);
}

// floor(index * survivors / items), exactly, for any int64 operands: survivors among [0, index).
std::int64_t survivors_before(std::int64_t index, std::int64_t survivors, std::int64_t items) noexcept {
  if (items <= 0) return 0;
  const auto product = static_cast<unsigned __int128>(index) * static_cast<unsigned __int128>(survivors);
  return static_cast<std::int64_t>(product / static_cast<unsigned __int128>(items));
}

// A whole number of seconds in [low, high).
seconds age_between(std::uint64_t random, seconds low, seconds high) noexcept {
  const auto span = static_cast<std::uint64_t>((high - low).count());
  return low + seconds(static_cast<std::int64_t>(random % span));
}

std::string s_value(const std::string& text) { return R"({"S":")" + text + "\"}"; }
std::string n_value(const std::string& text) { return R"({"N":")" + text + "\"}"; }

std::string hex(std::uint64_t value) {
  std::array<char, 17> text{};
  std::snprintf(text.data(), text.size(), "%016llx", static_cast<unsigned long long>(value));
  return std::string(text.data(), 16);
}

bool completed_in_original_sense(std::optional<std::string_view> raw) {
  if (!raw) return false;
  std::string scratch;
  if (auto number = scalar_text(*raw, "N", scratch)) {
    return compare_decimal(*number, 1, 0) == std::strong_ordering::equal;
  }
  if (auto text = scalar_text(*raw, "S", scratch)) return *text == "1";
  return false;
}

}  // namespace

dynamodb::key_schema worker_table_keys() {
  return dynamodb::key_schema{dynamodb::key_attribute{"WorkerId", "N"}, dynamodb::key_attribute{"StartTime", "S"}};
}

bool original_rule_deletes(const dynamodb::item& item, std::chrono::system_clock::time_point now) {
  if (!completed_in_original_sense(dynamodb::find_attribute(item, "Completed"))) return false;
  const auto raw = dynamodb::find_attribute(item, "StartExecutionTime");
  if (!raw) return false;
  std::string scratch;
  const auto text = scalar_text(*raw, "S", scratch);
  if (!text) return false;
  const auto started = aws::parse_rfc3339(*text);
  return started && now - *started > original_age_limit;
}

bool worker_item_plan::survives(std::int64_t index) const noexcept {
  return survivors_before(index + 1, survivors, items) != survivors_before(index, survivors, items);
}

worker_item_kind worker_item_plan::kind(std::int64_t index) const noexcept {
  if (!survives(index)) return worker_item_kind::expired;
  switch (survivors_before(index, survivors, items) % 3) {
    case 0: return worker_item_kind::running_old;
    case 1: return worker_item_kind::running_young;
    default: return worker_item_kind::completed_young;
  }
}

dynamodb::item worker_item_plan::make(std::int64_t index) const {
  const auto random = mix(static_cast<std::uint64_t>(index));
  const auto kind_of_item = kind(index);
  // Survivors cycle through kinds by their ordinal modulo 3 and through encodings by its
  // parity, so every kind appears in both encodings once there are six survivors.
  const std::int64_t ordinal = survives(index) ? survivors_before(index, survivors, items)
                                               : index - survivors_before(index, survivors, items);
  const bool number_encoding = ordinal % 2 == 0;

  // One hour of margin on either side of the 48 h: a verification a little after seeding
  // (the demo runs the scavenger in between) still sees the same verdicts.
  const bool old = kind_of_item == worker_item_kind::expired || kind_of_item == worker_item_kind::running_old;
  const auto age = old ? age_between(random, hours(49), hours(24 * 30)) : age_between(random, hours(1), hours(47));
  const bool completed = kind_of_item == worker_item_kind::expired || kind_of_item == worker_item_kind::completed_young;

  const auto whole_now = std::chrono::floor<seconds>(now);
  const auto started_execution = whole_now - age;
  // Scheduled 1 to 30 s before it started; the millisecond fraction is the run's number within
  // its worker, so a worker's StartTimes (its items' range keys) never collide.
  const auto run = index % runs_per_worker;
  const auto start = started_execution - seconds(1 + static_cast<std::int64_t>((random >> 20) % 30)) + milliseconds(run + 1);
  const auto end = started_execution + seconds(1 + static_cast<std::int64_t>((random >> 40) % 600));

  const std::string completed_text = completed ? "1" : "0";
  return dynamodb::item{
      {"WorkerId", n_value(std::to_string(index / runs_per_worker + 1))},
      {"StartTime", s_value(aws::format_rfc3339_utc(start))},
      {"StartExecutionTime", s_value(aws::format_rfc3339_utc(started_execution))},
      {"EndTime", s_value(aws::format_rfc3339_utc(end))},
      {"PaginationToken", s_value("pt-" + hex(random) + hex(mix(random)))},
      {"Completed", number_encoding ? n_value(completed_text) : s_value(completed_text)},
  };
}

}  // namespace scavenger::core
