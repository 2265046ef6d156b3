#pragma once

#include <QFrame>

#include <functional>

class QLabel;
class QHBoxLayout;
class QPushButton;

namespace tt {

// A notice over a view whose result is empty, saying why and offering a way out ("No transfers
// match: account X, parent Y" with [Clear filter]). Lies centred over its parent (a view's
// viewport) and follows its size; plain text only (the reason holds log text).
class EmptyResultNotice : public QFrame {
    Q_OBJECT
public:
    explicit EmptyResultNotice(QWidget *over);

    // Shows `text` with one button per action (label, what it does); replaces what was shown.
    void showNotice(const QString &text, const QList<std::pair<QString, std::function<void()>>> &actions = {});
    QString text() const;
    QList<QPushButton *> buttons() const { return m_buttons; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void place();

    QLabel *m_text;
    QHBoxLayout *m_buttonRow;
    QList<QPushButton *> m_buttons;
};

} // namespace tt
