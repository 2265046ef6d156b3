#include "AnnotationDialog.h"

#include <QCheckBox>
#include <QColorDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tt {

namespace {
QIcon swatch(const QColor &c)
{
    QPixmap pm(14, 14);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(c.darker(140));
    p.setBrush(c);
    p.drawEllipse(QRectF(1, 1, 12, 12));
    return QIcon(pm);
}

QString kindText(store::TargetKind k)
{
    switch (k) {
    case store::TargetKind::Host:
        return QObject::tr("Host");
    case store::TargetKind::Transfer:
        return QObject::tr("Transfer");
    case store::TargetKind::Event:
        return QObject::tr("Event");
    case store::TargetKind::Process:
        return QObject::tr("Process");
    case store::TargetKind::Account:
        return QObject::tr("Account");
    }
    return {};
}
} // namespace

AnnotationDialog::AnnotationDialog(AnnotationController *controller, const AnnotationRef &ref, QWidget *parent)
    : QDialog(parent)
    , m_c(controller)
    , m_ref(ref)
    , m_title(new QLabel(this))
    , m_note(new QPlainTextEdit(this))
    , m_markdown(new QCheckBox(tr("Markdown"), this))
    , m_bookmark(new QCheckBox(tr("Bookmark"), this))
    , m_tags(new QListWidget(this))
{
    setObjectName(QStringLiteral("annotationDialog"));
    setWindowTitle(tr("Annotate %1").arg(kindText(ref.kind)));
    m_original = controller->find(ref.kind, ref.key).value_or(store::Annotation {});
    m_title->setTextFormat(Qt::PlainText); // the label comes from the logs
    m_title->setWordWrap(true);
    m_title->setText(QStringLiteral("%1: %2").arg(kindText(ref.kind), ref.label));
    m_note->setObjectName(QStringLiteral("noteEdit"));
    m_note->setPlaceholderText(tr("Notes (plain text or Markdown)"));
    m_note->setPlainText(QString::fromStdString(m_original.note));
    m_markdown->setChecked(m_original.markdown);
    m_bookmark->setChecked(m_original.bookmarked);
    m_tags->setObjectName(QStringLiteral("tagList"));
    m_tags->setMaximumHeight(140);
    fillTags(m_original.tagIds);

    auto *newTagButton = new QPushButton(tr("New Tag..."), this);
    connect(newTagButton, &QPushButton::clicked, this, &AnnotationDialog::newTag);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &AnnotationDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &AnnotationDialog::reject);
    buttons->button(QDialogButtonBox::Ok)->setEnabled(controller->writable());

    auto *lay = new QVBoxLayout(this);
    lay->addWidget(m_title);
    lay->addWidget(m_note, 1);
    auto *row = new QHBoxLayout;
    row->addWidget(m_markdown);
    row->addWidget(m_bookmark);
    row->addStretch(1);
    lay->addLayout(row);
    lay->addWidget(new QLabel(tr("Tags:"), this));
    lay->addWidget(m_tags);
    auto *tagRow = new QHBoxLayout;
    tagRow->addWidget(newTagButton);
    tagRow->addStretch(1);
    lay->addLayout(tagRow);
    if (!controller->writable()) {
        auto *ro = new QLabel(tr("This case is open read-only."), this);
        lay->addWidget(ro);
    }
    lay->addWidget(buttons);
    resize(520, 420);
}

void AnnotationDialog::fillTags(const std::vector<int64_t> &checked)
{
    m_tags->clear();
    for (const store::Tag &t : m_c->tags()) {
        auto *item = new QListWidgetItem(
            swatch(QColor(QString::fromStdString(t.color))), QString::fromStdString(t.name), m_tags);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setData(Qt::UserRole, static_cast<qlonglong>(t.id));
        const bool on = std::find(checked.begin(), checked.end(), t.id) != checked.end();
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
}

void AnnotationDialog::newTag()
{
    bool ok = false;
    const QString name
        = QInputDialog::getText(this, tr("New Tag"), tr("Tag name:"), QLineEdit::Normal, QString(), &ok).trimmed();
    if (!ok || name.isEmpty())
        return;
    const QColor color = QColorDialog::getColor(QColor(0x94, 0x67, 0xbd), this, tr("Tag Colour"));
    if (!color.isValid())
        return;
    std::vector<int64_t> checked = edited().tagIds;
    if (const auto id = m_c->addTag(name, color))
        checked.push_back(*id);
    fillTags(checked);
}

store::Annotation AnnotationDialog::edited() const
{
    store::Annotation a = m_original;
    a.kind = m_ref.kind;
    a.key = m_ref.key.toStdString();
    if (a.label.empty())
        a.label = m_ref.label.toStdString();
    a.note = m_note->toPlainText().toStdString();
    a.markdown = m_markdown->isChecked();
    a.bookmarked = m_bookmark->isChecked();
    a.tagIds.clear();
    for (int i = 0; i < m_tags->count(); ++i)
        if (m_tags->item(i)->checkState() == Qt::Checked)
            a.tagIds.push_back(m_tags->item(i)->data(Qt::UserRole).toLongLong());
    std::sort(a.tagIds.begin(), a.tagIds.end());
    return a;
}

void AnnotationDialog::accept()
{
    if (m_c->put(m_ref, edited(), tr("Annotate %1").arg(m_ref.label)))
        QDialog::accept();
}

} // namespace tt
