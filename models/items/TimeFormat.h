#pragma once

#include <QString>

#include <cstdint>

namespace tt {

// UTC microseconds -> "2020-10-09 22:30:31.633" (empty for 0 = unknown).
QString formatUtc(int64_t us);

} // namespace tt
