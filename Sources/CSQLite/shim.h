#include <sqlite3.h>

/// `sqlite3_db_config` for the options taking an int and an int* (it is variadic, which Swift
/// cannot call).
static inline int floe_sqlite3_db_config_flag(sqlite3 *db, int op, int value) {
    return sqlite3_db_config(db, op, value, (int *)0);
}
