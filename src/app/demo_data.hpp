#pragma once
// Demo data for a first look: a user of every role, three units, and the starter knowledge
// base. Loaded only into an empty database.
#include "hotline/auth/directory.hpp"
#include "hotline/kb/service.hpp"

namespace hotline::app {

/// Creates the demo units and users, and imports the starter knowledge base and synonyms
/// (config/kb/), unless units already exist; prints the demo logins.
void LoadDemoData(auth::Directory& directory, kb::Service& kb);

}  // namespace hotline::app
