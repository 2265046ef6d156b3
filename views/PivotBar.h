#pragma once

#include "query/PivotQuery.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QHBoxLayout;
class QLineEdit;
class QToolButton;

namespace tt {

class FilterHistory;
struct FilterState;

// Pivots on account, parent process image, host and method (combos with counts and
// completion), minimum confidence and free text; active pivots show as removable chips; back /
// forward through filter history (Alt+Left / Alt+Right).
class PivotBar : public QWidget {
    Q_OBJECT
public:
    explicit PivotBar(FilterHistory *filter, QWidget *parent = nullptr);
    void setCase(const QString &casePath);
    // The chips currently shown, as "kind: value" (tests and accessibility).
    QStringList chipTexts() const;
    // Re-renders the chips (e.g. times after the display time zone changed).
    void refreshChips();

private:
    void applyChoices(uint64_t generation, const std::shared_ptr<PivotChoices> &choices);
    void fill(QComboBox *box, const QVector<PivotValue> &values, const QString &placeholder);
    void showFilter(const FilterState &f);
    void addChip(const QString &text, const std::function<void(FilterState &)> &remove);

    FilterHistory *m_filter;
    QString m_casePath;
    uint64_t m_generation = 0;
    PivotChoices m_choices;
    QToolButton *m_back;
    QToolButton *m_forward;
    QComboBox *m_account;
    QComboBox *m_parent;
    QComboBox *m_host;
    QComboBox *m_method;
    QDoubleSpinBox *m_minConf;
    QLineEdit *m_text;
    QHBoxLayout *m_chips;
    QList<QToolButton *> m_chipButtons;
};

} // namespace tt
