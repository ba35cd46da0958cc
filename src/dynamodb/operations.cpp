#include "dynamodb/operations.hpp"

namespace scavenger::dynamodb {

std::vector<std::string> key_schema::names() const {
  std::vector<std::string> result{partition.name};
  if (sort) result.push_back(sort->name);
  return result;
}

}  // namespace scavenger::dynamodb
