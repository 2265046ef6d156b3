#pragma once

#include "SupersededQueries.h"
#include "query/PivotQuery.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QHBoxLayout;
class QLineEdit;
class QScrollArea;
class QTimer;
class QToolButton;

namespace tt {

class FilterHistory;
struct FilterState;

// Pivots on account, parent process image, host and method (combos with completion and the
// counts of transfers under the current filter), minimum confidence and free text; active pivots
// show as removable chips (scrolling sideways, never widening the window); back / forward through
// filter history (Alt+Left / Alt+Right).
class PivotBar : public QWidget {
    Q_OBJECT
public:
    // Combo items: the value's transfers under the current filter (int), for tests and tools.
    static constexpr int CountRole = Qt::UserRole + 1;

    explicit PivotBar(FilterHistory *filter, QWidget *parent = nullptr);
    void setCase(const QString &casePath);
    // The chips currently shown, as "kind: value" (tests and accessibility).
    QStringList chipTexts() const;
    // Re-renders the chips (e.g. times after the display time zone changed).
    void refreshChips();

private:
    void loadChoices();
    void applyChoices(uint64_t generation, const std::shared_ptr<PivotChoices> &choices);
    void fill(QComboBox *box, const QVector<PivotValue> &values, const QString &placeholder);
    void showFilter(const FilterState &f);
    void addChip(const QString &text, const std::function<void(FilterState &)> &remove);

    FilterHistory *m_filter;
    QString m_casePath;
    uint64_t m_generation = 0;
    SupersededQueries m_queries; // the running list / choices query, cancelled by the next
    PivotChoices m_choices;
    QToolButton *m_back;
    QToolButton *m_forward;
    QComboBox *m_account;
    QComboBox *m_parent;
    QComboBox *m_host;
    QComboBox *m_method;
    QDoubleSpinBox *m_minConf;
    QLineEdit *m_text;
    QTimer *m_textDebounce = nullptr;
    QScrollArea *m_chipArea = nullptr;
    QWidget *m_chipBox = nullptr;
    QHBoxLayout *m_chips;
    QList<QToolButton *> m_chipButtons;
};

} // namespace tt
