#pragma once

#include "LayoutTypes.h"

namespace tt::graph {

// A layout strategy (Cutter's pattern): the workbench runs one on a worker thread and draws
// the plain result.
class LayoutEngine {
public:
    virtual ~LayoutEngine() = default;
    virtual LayoutResult layout(const LayoutInput &input) = 0;
};

} // namespace tt::graph
