#include "scavenger/predicate.hpp"

#include "dynamodb/json_writer.hpp"
#include "scavenger/expression_attributes.hpp"
#include "scavenger/server_age_filter.hpp"

namespace scavenger::core {
namespace {

constexpr std::string_view age_placeholder = "#scv_age";
constexpr std::string_view key_placeholder_prefix = "#scv_k";
constexpr std::string_view seen_member_prefix = R"(":scv_seen":)";

bool is_blank(std::string_view text) noexcept { return text.find_first_not_of(" \t\n\r") == std::string_view::npos; }

// `"placeholder":"attribute"`, the attribute name JSON-escaped.
void append_name_member(std::string& members, std::string_view placeholder, std::string_view attribute) {
  if (!members.empty()) members += ',';
  dynamodb::append_json_string(members, placeholder);
  members += ':';
  dynamodb::append_json_string(members, attribute);
}

std::optional<config_error> check_settings(const predicate_settings& settings, bool has_filter,
                                           bool has_user_placeholders, const std::vector<std::string>& key_names) {
  if (!has_filter && has_user_placeholders) {
    return config_error{
        "--expression-attribute-names/--expression-attribute-values given without --filter: DynamoDB refuses "
        "placeholders no expression uses; add the --filter that uses them, or drop them"};
  }
  if (has_filter) {
    for (const auto prefix : {reserved_name_prefix, reserved_value_prefix}) {
      if (settings.filter.find(prefix) != std::string::npos) {
        return config_error{"--filter mentions a placeholder starting with \"" + std::string(prefix) +
                            "\", a prefix reserved for scavenger: rename it in the filter and its names/values"};
      }
    }
  }
  if (settings.age && settings.age->attribute.empty()) {
    return config_error{"--age-attribute is empty: name the attribute that holds each item's timestamp"};
  }
  if (!has_filter && !settings.age && !settings.all) {
    return config_error{
        "no --filter and no --older-than: that matches every item of the table; add --all if that is intended"};
  }
  if (settings.server_age_filter && !settings.age) {
    return config_error{"--server-age-filter needs --older-than and --age-attribute: there is no age rule to send"};
  }
  if (key_names.empty()) return config_error{"the table's key schema names no attributes"};
  return std::nullopt;
}

}  // namespace

age_verdict predicate::check(const dynamodb::item& scanned) const {
  if (!settings_.age) return age_verdict::old_enough;
  return classify(*settings_.age, dynamodb::find_attribute(scanned, settings_.age->attribute));
}

std::string predicate::condition_attribute_values(std::string_view seen) const {
  if (!settings_.age) return condition_values_prefix_;
  std::string values;
  values.reserve(condition_values_prefix_.size() + seen.size() + 1);
  values += condition_values_prefix_;
  values += seen;
  values += '}';
  return values;
}

boost::system::result<predicate, config_error> build_predicate(const predicate_settings& settings,
                                                               const std::vector<std::string>& key_names) {
  auto user_names =
      user_members(settings.expression_attribute_names, "--expression-attribute-names", reserved_name_prefix);
  if (!user_names) return user_names.error();
  auto user_values =
      user_members(settings.expression_attribute_values, "--expression-attribute-values", reserved_value_prefix);
  if (!user_values) return user_values.error();
  const bool has_filter = !is_blank(settings.filter);
  const bool has_user_placeholders = !user_names->empty() || !user_values->empty();
  if (auto problem = check_settings(settings, has_filter, has_user_placeholders, key_names)) {
    return std::move(*problem);
  }
  const auto& age = settings.age;

  predicate built;
  built.settings_ = settings;

  // Projection: the key, to delete by, and the age attribute, to check and to re-check in the
  // condition. A key attribute that is also the age attribute is projected once, as #scv_age:
  // DynamoDB refuses a projection naming one path twice.
  std::string key_names_members;
  bool age_projected = false;
  for (std::size_t i = 0; i < key_names.size(); ++i) {
    if (i > 0) built.projection_ += ", ";
    if (age && key_names[i] == age->attribute) {
      built.projection_ += age_placeholder;
      age_projected = true;
      continue;
    }
    const std::string placeholder = std::string(key_placeholder_prefix) + std::to_string(i);
    built.projection_ += placeholder;
    append_name_member(key_names_members, placeholder, key_names[i]);
  }
  std::string age_name_member;
  if (age) {
    if (!age_projected) built.projection_ += ", " + std::string(age_placeholder);
    append_name_member(age_name_member, age_placeholder, age->attribute);
  }
  built.scan_names_ = merge_members({*user_names, key_names_members, age_name_member});

  // Scan filter: the user's, sent as given, and with --server-age-filter the age clause too.
  if (settings.server_age_filter) {
    const auto age_clause = server_age_filter(*age);
    built.scan_filter_ =
        has_filter ? "(" + settings.filter + ") AND (" + age_clause.expression + ")" : age_clause.expression;
    built.scan_values_ = merge_members({*user_values, age_clause.value_members});
  } else {
    built.scan_filter_ = has_filter ? settings.filter : std::string();
    built.scan_values_ = merge_members({*user_values});
  }

  // Condition (SPEC §4): what made the item a candidate, re-checked atomically. The filter
  // again, and the age attribute still holding the value the age check judged.
  if (has_filter) built.condition_ = "(" + settings.filter + ")";
  if (age) {
    if (has_filter) built.condition_ += " AND ";
    built.condition_ += std::string(age_placeholder) + " = :scv_seen";
  }
  built.condition_names_ = merge_members({*user_names, age_name_member});
  if (age) {
    built.condition_values_prefix_ = "{" + *user_values + (user_values->empty() ? "" : ",");
    built.condition_values_prefix_ += seen_member_prefix;
  } else {
    built.condition_values_prefix_ = merge_members({*user_values});
  }
  return built;
}

}  // namespace scavenger::core
