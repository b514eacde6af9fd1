#pragma once

// A scenario's types live in core/scenario.h and its reader in wire/; this
// header gathers them for scenario/ and its callers.
#include "core/scenario.h"
#include "wire/scenario_json.h"
