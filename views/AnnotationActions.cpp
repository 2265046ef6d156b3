#include "AnnotationActions.h"

#include "AnnotationDialog.h"
#include "PivotActions.h"

#include <QAction>
#include <QCoreApplication>
#include <QMenu>
#include <QPointer>

namespace tt {

namespace {
QString tr(const char *s)
{
    return QCoreApplication::translate("AnnotationActions", s);
}

QString menuText(const QString &value)
{
    return menuSafeText(value, 70);
}

void addFor(QMenu *menu, AnnotationController *c, const AnnotationRef &ref, QWidget *parent)
{
    const auto current = c->find(ref.kind, ref.key);
    QAction *edit = menu->addAction(current ? tr("Edit Annotation...") : tr("Annotate..."));
    edit->setObjectName(QStringLiteral("annotate"));
    QPointer<QWidget> guard(parent);
    QObject::connect(edit, &QAction::triggered, c, [c, ref, guard] { editAnnotation(c, ref, guard); });
    QAction *bm = menu->addAction(current && current->bookmarked ? tr("Remove Bookmark") : tr("Bookmark"));
    bm->setObjectName(QStringLiteral("bookmark"));
    QObject::connect(bm, &QAction::triggered, c, [c, ref] { c->toggleBookmark(ref); });
    QMenu *tags = menu->addMenu(tr("Tags"));
    for (const store::Tag &t : c->tags()) {
        QAction *a = tags->addAction(menuText(QString::fromStdString(t.name)));
        a->setObjectName(QStringLiteral("tag:") + QString::fromStdString(t.name));
        a->setCheckable(true);
        a->setChecked(
            current && std::find(current->tagIds.begin(), current->tagIds.end(), t.id) != current->tagIds.end());
        const int64_t id = t.id;
        QObject::connect(a, &QAction::triggered, c, [c, ref, id] { c->toggleTag(ref, id); });
    }
    for (QAction *a : {edit, bm})
        a->setEnabled(c->writable());
    tags->setEnabled(c->writable());
}
} // namespace

void editAnnotation(AnnotationController *controller, const AnnotationRef &ref, QWidget *parent)
{
    AnnotationDialog dlg(controller, ref, parent);
    dlg.exec();
}

void addAnnotationActions(QMenu *menu, AnnotationController *c, const QVector<AnnotationRef> &refs, QWidget *parent)
{
    if (!c || refs.isEmpty() || c->casePath().isEmpty())
        return;
    menu->addSeparator();
    if (refs.size() == 1) {
        addFor(menu, c, refs.first(), parent);
        return;
    }
    QMenu *sub = menu->addMenu(tr("Annotate"));
    const int shown = std::min<int>(static_cast<int>(refs.size()), 25);
    for (int i = 0; i < shown; ++i)
        addFor(sub->addMenu(menuText(refs[i].label)), c, refs[i], parent);
    if (refs.size() > shown)
        sub->addAction(tr("(%1 more: select one transfer)").arg(refs.size() - shown))->setEnabled(false);
}

} // namespace tt
