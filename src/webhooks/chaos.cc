#include "webhooks/chaos.h"

namespace paysandbox {

const char* chaos_name(ChaosType type) {
  switch (type) {
    case ChaosType::kDuplicate:
      return "duplicate";
    case ChaosType::kReorder:
      return "reorder";
    case ChaosType::kDelay:
      return "delay";
    case ChaosType::kDrop:
      return "drop";
    case ChaosType::kBadSignature:
      return "bad_signature";
  }
  return "";
}

}  // namespace paysandbox
