#include "core/chaos.h"

#include "core/enum_names.h"

namespace paysandbox {
namespace {

// The one table of spellings, in the order error messages list them.
constexpr EnumName<ChaosType> kChaosTypes[] = {
    {ChaosType::kDuplicate, "duplicate"},
    {ChaosType::kReorder, "reorder"},
    {ChaosType::kDelay, "delay"},
    {ChaosType::kDrop, "drop"},
    {ChaosType::kBadSignature, "bad_signature"},
};

}  // namespace

const char* chaos_name(ChaosType type) { return name_in(kChaosTypes, type); }

std::optional<ChaosType> chaos_from_name(std::string_view name) {
  return value_in(kChaosTypes, name);
}

std::vector<std::string> chaos_names() {
  std::vector<std::string> out;
  for (const auto& entry : kChaosTypes) out.emplace_back(entry.name);
  return out;
}

}  // namespace paysandbox
