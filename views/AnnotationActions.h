#pragma once

#include "workbench/AnnotationController.h"

#include <QVector>

class QMenu;
class QWidget;

namespace tt {

// Appends "Annotate...", "Bookmark" and a "Tags" submenu for each item to a context menu (a
// submenu per item when there are several, e.g. an edge's transfers). Object names for tests:
// annotate, bookmark, tag:<name>. Nothing is added without a controller or refs.
void addAnnotationActions(
    QMenu *menu, AnnotationController *controller, const QVector<AnnotationRef> &refs, QWidget *dialogParent);

// Opens the annotation editor for one item (modal).
void editAnnotation(AnnotationController *controller, const AnnotationRef &ref, QWidget *parent);

} // namespace tt
