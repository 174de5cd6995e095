#pragma once
// Demo data for a first look: a user of every role, three units, and (once the knowledge
// base is wired in) the starter knowledge base. Loaded only into an empty database.
#include "hotline/auth/directory.hpp"

namespace hotline::app {

/// Creates the demo units and users unless units already exist; prints the demo logins.
void LoadDemoData(auth::Directory& directory);

}  // namespace hotline::app
