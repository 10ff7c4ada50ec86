//! Which files to lint: explicit files, folders walked for `*.yaml`/`*.yml`/`*.json`, glob patterns.
