#pragma once

#include <string_view>

namespace paysandbox {

class Store;

// Constructs each module store (store/*_store.h) on `store` once, so that
// every table and index the sandbox uses is declared in it.
void declare_every_table(Store& store);

// The serialized empty database that declare_every_table() leaves in a
// new ":memory:" store: what Store's constructor copies in instead of
// creating the schema statement by statement. The build makes it
// (tools/make_schema_image.cc writes the file that defines this), from the
// same sources, so it cannot fall behind them.
std::string_view empty_schema_image();

}  // namespace paysandbox
