#pragma once

#include "store/AnnotationStore.h"
#include "workbench/Selection.h"

#include <QString>

#include <string>

namespace tt {
namespace store {
class CaseStore;
}

// Where an annotation's item is in the case now, for the Notes dock to select it: hosts by name,
// transfers by key, events / processes / accounts by id. An account is a pivot, not a selection.
struct AnnotatedItem {
    SelectedEntities selection;
    qint64 account = 0;
    QString error; // the item is no longer in the case
};
AnnotatedItem resolveAnnotatedItem(store::CaseStore &store, store::TargetKind kind, const std::string &key);

} // namespace tt
