#include "PivotBar.h"

#include "PathElideDelegate.h"
#include "WorkerQuery.h"

#include "items/TimeFormat.h"
#include "store/CaseStore.h"
#include "workbench/FilterHistory.h"

#include <QAbstractItemView>
#include <QAction>
#include <QComboBox>
#include <QCompleter>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QStandardItemModel>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace tt {

namespace {
QComboBox *makeCombo(QWidget *parent, const QString &name)
{
    auto *box = new QComboBox(parent);
    box->setObjectName(name);
    box->setEditable(true);
    box->setInsertPolicy(QComboBox::NoInsert);
    box->setMinimumContentsLength(14);
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box->completer()->setFilterMode(Qt::MatchContains);
    box->completer()->setCompletionMode(QCompleter::PopupCompletion);
    return box;
}
} // namespace

PivotBar::PivotBar(FilterHistory *filter, QWidget *parent)
    : QWidget(parent)
    , m_filter(filter)
{
    setObjectName(QStringLiteral("pivotBar"));
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(4, 2, 4, 2);
    outer->setSpacing(2);
    auto *lay = new QHBoxLayout;
    lay->setContentsMargins(0, 0, 0, 0);
    outer->addLayout(lay);
    m_back = new QToolButton(this);
    m_back->setObjectName(QStringLiteral("filterBack"));
    m_back->setArrowType(Qt::LeftArrow);
    m_back->setToolTip(tr("Previous filter (Alt+Left)"));
    m_back->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Left));
    m_forward = new QToolButton(this);
    m_forward->setObjectName(QStringLiteral("filterForward"));
    m_forward->setArrowType(Qt::RightArrow);
    m_forward->setToolTip(tr("Next filter (Alt+Right)"));
    m_forward->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Right));
    connect(m_back, &QToolButton::clicked, m_filter, &FilterHistory::back);
    connect(m_forward, &QToolButton::clicked, m_filter, &FilterHistory::forward);
    lay->addWidget(m_back);
    lay->addWidget(m_forward);

    m_account = makeCombo(this, QStringLiteral("pivotAccount"));
    m_parent = makeCombo(this, QStringLiteral("pivotParentImage"));
    m_host = makeCombo(this, QStringLiteral("pivotHost"));
    m_method = makeCombo(this, QStringLiteral("pivotMethod"));
    m_method->setEditable(false);
    m_minConf = new QDoubleSpinBox(this);
    m_minConf->setObjectName(QStringLiteral("pivotMinConfidence"));
    m_minConf->setRange(0, 1);
    m_minConf->setSingleStep(0.1);
    m_minConf->setDecimals(2);
    m_minConf->setToolTip(tr("Minimum confidence"));
    m_text = new QLineEdit(this);
    m_text->setObjectName(QStringLiteral("pivotText"));
    m_text->setPlaceholderText(tr("Search files, paths, hosts, accounts"));
    m_text->setClearButtonEnabled(true);
    for (auto [label, w] : {std::pair {tr("Account"), static_cast<QWidget *>(m_account)},
             std::pair {tr("Parent image"), static_cast<QWidget *>(m_parent)},
             std::pair {tr("Host"), static_cast<QWidget *>(m_host)},
             std::pair {tr("Method"), static_cast<QWidget *>(m_method)},
             std::pair {tr("Min conf."), static_cast<QWidget *>(m_minConf)}}) {
        lay->addWidget(new QLabel(label, this));
        lay->addWidget(w);
    }
    lay->addWidget(m_text, 1);
    // Chips get a row of their own under the controls and scroll sideways in it: however many and
    // long they are, they never widen the bar (and with it the main window) past the screen.
    m_chipArea = new QScrollArea(this);
    m_chipArea->setObjectName(QStringLiteral("pivotChips"));
    m_chipArea->setFrameShape(QFrame::NoFrame);
    m_chipArea->setWidgetResizable(true);
    m_chipArea->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_chipArea->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_chipArea->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_chipBox = new QWidget(m_chipArea);
    m_chips = new QHBoxLayout(m_chipBox);
    m_chips->setContentsMargins(0, 0, 0, 0);
    m_chips->setSpacing(4);
    m_chips->addStretch(1);
    m_chipArea->setWidget(m_chipBox);
    m_chipArea->setFixedHeight(
        QToolButton().sizeHint().height() + m_chipArea->horizontalScrollBar()->sizeHint().height());
    m_chipArea->hide();
    outer->addWidget(m_chipArea);
    // Paths keep their program name ("C:\Windows\...\services.exe"); the popup is wider than
    // the combo, the full path is in the tooltip.
    m_parent->view()->setItemDelegate(new PathElideDelegate(m_parent));
    m_parent->view()->setMinimumWidth(fontMetrics().averageCharWidth() * 60);
    m_parent->view()->setTextElideMode(Qt::ElideNone);

    // A combo pick adds a pivot; index 0 is the placeholder.
    auto onPick = [this](QComboBox *box, const std::function<void(FilterState &, const QVariant &)> &add) {
        connect(box, &QComboBox::activated, this, [this, box, add](int index) {
            if (index <= 0)
                return;
            FilterState f = m_filter->current();
            add(f, box->itemData(index));
            box->setCurrentIndex(0);
            m_filter->apply(f);
        });
    };
    onPick(m_account, [](FilterState &f, const QVariant &v) { f.accounts.insert(v.toLongLong()); });
    onPick(m_host, [](FilterState &f, const QVariant &v) { f.hosts.insert(v.toLongLong()); });
    onPick(m_parent, [](FilterState &f, const QVariant &v) {
        if (!f.parentImages.contains(v.toString(), Qt::CaseInsensitive))
            f.parentImages << v.toString();
    });
    onPick(m_method, [](FilterState &f, const QVariant &v) {
        if (!f.methods.contains(v.toString()))
            f.methods << v.toString();
    });
    connect(m_minConf, &QDoubleSpinBox::editingFinished, this, [this] {
        FilterState f = m_filter->current();
        f.minConfidence = m_minConf->value();
        m_filter->apply(f);
    });
    // Search as you type, debounced.
    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(250);
    connect(m_text, &QLineEdit::textEdited, debounce, qOverload<>(&QTimer::start));
    connect(debounce, &QTimer::timeout, this, [this] {
        FilterState f = m_filter->current();
        f.text = m_text->text().trimmed();
        m_filter->apply(f);
    });
    m_textDebounce = debounce;
    connect(m_filter, &FilterHistory::changed, this, &PivotBar::showFilter);
    // The combos' counts follow the filter.
    connect(m_filter, &FilterHistory::changed, this, &PivotBar::loadChoices);
    showFilter(m_filter->current());
}

void PivotBar::setCase(const QString &casePath)
{
    m_casePath = casePath;
    loadChoices();
}

void PivotBar::loadChoices()
{
    const uint64_t gen = ++m_generation;
    if (m_casePath.isEmpty())
        return;
    const FilterState filter = m_filter->current();
    runCaseQuery<PivotChoices>(
        this, m_casePath, m_queries.next(), [filter](store::CaseStore &cs) { return queryPivotChoices(cs, filter); },
        [this, gen](PivotChoices &c, const QString &error) {
            if (!error.isEmpty())
                c.error = error;
            applyChoices(gen, std::make_shared<PivotChoices>(std::move(c)));
        });
}

void PivotBar::applyChoices(uint64_t generation, const std::shared_ptr<PivotChoices> &choices)
{
    if (generation != m_generation)
        return;
    m_choices = std::move(*choices);
    fill(m_account, m_choices.accounts, tr("any account"));
    fill(m_parent, m_choices.parentImages, tr("any parent"));
    fill(m_host, m_choices.hosts, tr("any host"));
    fill(m_method, m_choices.methods, tr("any method"));
    showFilter(m_filter->current());
}

void PivotBar::fill(QComboBox *box, const QVector<PivotValue> &values, const QString &placeholder)
{
    const QString typed = box->lineEdit() && box->lineEdit()->hasFocus() ? box->currentText() : QString();
    box->clear();
    box->addItem(placeholder);
    const bool filtered = !m_filter->current().isEmpty();
    auto *model = qobject_cast<QStandardItemModel *>(box->model());
    for (const PivotValue &v : values) {
        // Under a filter: "N of M" transfers; a value that would leave nothing is greyed (still
        // pickable: the graph then says why it is empty).
        const QString count
            = filtered && v.count != v.total ? tr("%1 of %2").arg(v.count).arg(v.total) : QString::number(v.total);
        box->addItem(QStringLiteral("%1 (%2)").arg(v.label, count), v.id ? QVariant(v.id) : QVariant(v.label));
        const int row = box->count() - 1;
        box->setItemData(row, v.label, Qt::ToolTipRole);
        box->setItemData(row, v.count, PivotBar::CountRole);
        if (filtered && v.count == 0 && model)
            model->item(row)->setForeground(box->palette().brush(QPalette::Disabled, QPalette::Text));
    }
    if (!typed.isEmpty())
        box->setEditText(typed);
}

void PivotBar::addChip(const QString &text, const std::function<void(FilterState &)> &remove)
{
    auto *chip = new QToolButton(this);
    chip->setObjectName(QStringLiteral("pivotChip"));
    // '&' would become a mnemonic in a button: log text is shown exactly as written.
    QString shown = text;
    shown.replace(QLatin1Char('&'), QLatin1String("&&"));
    chip->setText(shown + QStringLiteral("  \u2715"));
    chip->setProperty("chipText", text);
    chip->setAutoRaise(false);
    chip->setToolTip(tr("Remove this pivot: %1").arg(text));
    connect(chip, &QToolButton::clicked, this, [this, remove] {
        FilterState f = m_filter->current();
        remove(f);
        m_filter->apply(f);
    });
    m_chips->insertWidget(m_chips->count() - 1, chip); // before the stretch
    chip->show(); // now, not when the layout gets round to it: showFilter() measures the chips
    m_chipButtons << chip;
}

QStringList PivotBar::chipTexts() const
{
    QStringList out;
    for (QToolButton *b : m_chipButtons)
        out << b->property("chipText").toString();
    return out;
}

void PivotBar::showFilter(const FilterState &f)
{
    m_back->setEnabled(m_filter->canGoBack());
    m_forward->setEnabled(m_filter->canGoForward());
    // Later: a chip's click removes its pivot, which lands here while the chip is still emitting.
    for (QToolButton *b : std::as_const(m_chipButtons)) {
        b->hide();
        b->deleteLater();
    }
    m_chipButtons.clear();
    auto labelFor = [](const QVector<PivotValue> &values, qint64 id) {
        for (const PivotValue &v : values)
            if (v.id == id)
                return v.label;
        return QStringLiteral("#%1").arg(id);
    };
    for (qint64 id : f.accounts)
        addChip(
            tr("account: %1").arg(labelFor(m_choices.accounts, id)), [id](FilterState &s) { s.accounts.remove(id); });
    for (qint64 id : f.hosts)
        addChip(tr("host: %1").arg(labelFor(m_choices.hosts, id)), [id](FilterState &s) { s.hosts.remove(id); });
    for (const QString &img : f.parentImages)
        addChip(tr("parent: %1").arg(img), [img](FilterState &s) { s.parentImages.removeAll(img); });
    for (const QString &m : f.methods)
        addChip(tr("method: %1").arg(m), [m](FilterState &s) { s.methods.removeAll(m); });
    if (f.hasTimeWindow())
        addChip(tr("time: %1 .. %2").arg(formatTime(f.fromUs), formatTime(f.toUs)), [](FilterState &s) {
            s.fromUs = 0;
            s.toUs = 0;
        });
    if (f.minConfidence > 0)
        addChip(tr("confidence >= %1").arg(f.minConfidence, 0, 'f', 2), [](FilterState &s) { s.minConfidence = 0; });
    if (!f.text.isEmpty())
        addChip(tr("text: %1").arg(f.text), [](FilterState &s) { s.text.clear(); });
    // The strip scrolls when the chips are wider than it (the scroll area sizes its widget to at
    // least its minimum width; the hidden chips going away no longer count).
    m_chips->invalidate();
    m_chipBox->setMinimumWidth(m_chips->sizeHint().width());
    m_chipArea->setVisible(!m_chipButtons.isEmpty());
    // The search box shows the filter's text, unless the analyst is typing what will replace it
    // (a removed text chip clears it even while the box has focus).
    if (!m_textDebounce->isActive() && m_text->text().trimmed() != f.text)
        m_text->setText(f.text);
    m_minConf->setValue(f.minConfidence);
}

void PivotBar::refreshChips()
{
    showFilter(m_filter->current());
}

} // namespace tt
