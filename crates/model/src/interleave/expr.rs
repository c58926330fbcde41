//! Values and conditions inside steps: operands, `a + b` / `a - b`, and comparisons.
//!
//! Deliberately tiny (no nesting, no function calls): every expression fits in one line of a
//! step label, and anything larger would hide a sequence of steps inside one atomic step.

use std::fmt;
/// A value a step reads: a constant, a thread-local variable (0 until first assigned) or a
/// shared variable.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Operand {
    /// A literal number.
    Const(i64),
    /// A variable private to the running thread.
    Local(String),
    /// A variable every thread sees.
    Shared(String),
}

impl Operand {
    /// A thread-local variable.
    pub fn local(name: impl Into<String>) -> Operand {
        Operand::Local(name.into())
    }

    /// A shared variable.
    pub fn shared(name: impl Into<String>) -> Operand {
        Operand::Shared(name.into())
    }
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Operand::Const(v) => write!(f, "{v}"),
            Operand::Local(name) | Operand::Shared(name) => f.write_str(name),
        }
    }
}

/// The value a [`Step::Write`](super::Step::Write) stores.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Expr {
    /// The operand itself.
    Value(Operand),
    /// `a + b` (wrapping).
    Add(Operand, Operand),
    /// `a - b` (wrapping).
    Sub(Operand, Operand),
}

impl Expr {
    /// The operands the expression reads.
    pub fn operands(&self) -> Vec<&Operand> {
        match self {
            Expr::Value(a) => vec![a],
            Expr::Add(a, b) | Expr::Sub(a, b) => vec![a, b],
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Value(a) => write!(f, "{a}"),
            Expr::Add(a, b) => write!(f, "{a} + {b}"),
            Expr::Sub(a, b) => write!(f, "{a} - {b}"),
        }
    }
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cmp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Cmp {
    /// The operator as written in labels.
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }

    /// Whether `a <op> b`.
    pub fn holds(self, a: i64, b: i64) -> bool {
        match self {
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
        }
    }
}

/// A condition `lhs <cmp> rhs`, used by asserts, branches, wait guards and expectations.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cond {
    /// Left-hand side.
    pub lhs: Operand,
    /// The comparison.
    pub cmp: Cmp,
    /// Right-hand side.
    pub rhs: Operand,
}

impl Cond {
    /// `lhs <cmp> rhs`.
    pub fn new(lhs: Operand, cmp: Cmp, rhs: Operand) -> Cond {
        Cond { lhs, cmp, rhs }
    }

    /// The two operands compared.
    pub fn operands(&self) -> [&Operand; 2] {
        [&self.lhs, &self.rhs]
    }
}

impl fmt::Display for Cond {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.lhs, self.cmp.symbol(), self.rhs)
    }
}
