#include "workbench/FilterState.h"

namespace tt {

bool FilterState::isEmpty() const
{
    return !hasTimeWindow() && hosts.isEmpty() && accounts.isEmpty() && parentImages.isEmpty() && methods.isEmpty()
           && minConfidence <= 0 && text.isEmpty();
}

bool FilterState::operator==(const FilterState &o) const
{
    return fromUs == o.fromUs && toUs == o.toUs && hosts == o.hosts && accounts == o.accounts
           && parentImages == o.parentImages && methods == o.methods && minConfidence == o.minConfidence
           && text == o.text;
}

} // namespace tt
