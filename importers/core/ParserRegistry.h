#pragma once

#include "core/FormatDetector.h"
#include "core/FormatParser.h"

#include <memory>

namespace tt {

// The parser for a leaf format, or nullptr for containers / unknown formats.
std::unique_ptr<FormatParser> makeParser(Format format);

} // namespace tt
