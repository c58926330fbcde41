//! The instruction set, and its numbering shared by the assembler and the wire format.
//!
//! Why two kinds of jump: CPython 3.10+ checks its eval breaker (and so may hand the GIL to
//! another thread) only on backward jumps and calls. Making the backward jump a separate op
//! (`JumpBack`) puts every check point in plain sight in the bytecode, and
//! `Program::validate` rejects a backward `Jump`, so no loop can run without one.

use serde::{Deserialize, Serialize};

/// One instruction. Jump targets are absolute code offsets; locals index the current
/// function's locals (parameters first); globals index [`Program::globals`](super::vm::Program::globals).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    /// Pushes the constant.
    PushConst(i64),
    /// Discards the top of the stack.
    Pop,
    /// Pushes a copy of the top of the stack.
    Dup,
    /// Pushes local `n`.
    LoadLocal(u16),
    /// Pops into local `n`.
    StoreLocal(u16),
    /// Pushes shared global `n` (a relaxed atomic load: other threads' stores may land between
    /// this and a later `StoreGlobal`, which is how `counter += 1` loses updates).
    LoadGlobal(u16),
    /// Pops into shared global `n` (a relaxed atomic store).
    StoreGlobal(u16),
    /// Pops `b`, then `a`; pushes `a + b` (wrapping, like the other arithmetic).
    Add,
    /// Pops `b`, then `a`; pushes `a − b`.
    Sub,
    /// Pops `b`, then `a`; pushes `a · b`.
    Mul,
    /// Floor division (`//`).
    Div,
    /// Floored remainder (`%`, the sign of the divisor).
    Mod,
    /// Pops `b`, then `a`; pushes 1 if `a < b`, else 0.
    Lt,
    /// Pops `b`, then `a`; pushes 1 if `a ≤ b`, else 0.
    Le,
    /// Pops `b`, then `a`; pushes 1 if `a = b`, else 0.
    Eq,
    /// Logical not: 1 if the top is 0, else 0.
    Not,
    /// Forward jump: not a check point.
    Jump(u32),
    /// Pops; jumps forward if the value is 0.
    JumpIfFalse(u32),
    /// Backward jump (loops): an eval-breaker check point.
    JumpBack(u32),
    /// Calls function `n`, popping its parameters: an eval-breaker check point.
    Call(u16),
    /// Returns the top of the stack to the caller (from `main`: ends the program).
    Return,
    /// A blocking I/O wait of this many milliseconds (`time.sleep`, a socket read).
    Io(u32),
    /// A C-library call hashing this many bytes; pushes the hash.
    Native(u32),
    /// Ends the program with the top of the stack (or 0) as its result.
    Halt,
}

/// Assembler mnemonics, indexed by [`Op::parts`]'s tag.
pub const MNEMONICS: [&str; 24] = [
    "push_const",
    "pop",
    "dup",
    "load_local",
    "store_local",
    "load_global",
    "store_global",
    "add",
    "sub",
    "mul",
    "div",
    "mod",
    "lt",
    "le",
    "eq",
    "not",
    "jump",
    "jump_if_false",
    "jump_back",
    "call",
    "return",
    "io",
    "native",
    "halt",
];

impl Op {
    /// The op as (tag, operand), operand 0 for ops without one: the form the wire format and
    /// the assembler use.
    pub fn parts(self) -> (u8, i64) {
        use Op::*;
        match self {
            PushConst(v) => (0, v),
            Pop => (1, 0),
            Dup => (2, 0),
            LoadLocal(i) => (3, i.into()),
            StoreLocal(i) => (4, i.into()),
            LoadGlobal(i) => (5, i.into()),
            StoreGlobal(i) => (6, i.into()),
            Add => (7, 0),
            Sub => (8, 0),
            Mul => (9, 0),
            Div => (10, 0),
            Mod => (11, 0),
            Lt => (12, 0),
            Le => (13, 0),
            Eq => (14, 0),
            Not => (15, 0),
            Jump(t) => (16, t.into()),
            JumpIfFalse(t) => (17, t.into()),
            JumpBack(t) => (18, t.into()),
            Call(f) => (19, f.into()),
            Return => (20, 0),
            Io(ms) => (21, ms.into()),
            Native(n) => (22, n.into()),
            Halt => (23, 0),
        }
    }

    /// Inverse of [`Op::parts`]; `None` for an unknown tag or an operand out of range.
    pub fn from_parts(tag: u8, x: i64) -> Option<Op> {
        use Op::*;
        let u16_ = || u16::try_from(x).ok();
        let u32_ = || u32::try_from(x).ok();
        Some(match tag {
            0 => PushConst(x),
            1 => Pop,
            2 => Dup,
            3 => LoadLocal(u16_()?),
            4 => StoreLocal(u16_()?),
            5 => LoadGlobal(u16_()?),
            6 => StoreGlobal(u16_()?),
            7 => Add,
            8 => Sub,
            9 => Mul,
            10 => Div,
            11 => Mod,
            12 => Lt,
            13 => Le,
            14 => Eq,
            15 => Not,
            16 => Jump(u32_()?),
            17 => JumpIfFalse(u32_()?),
            18 => JumpBack(u32_()?),
            19 => Call(u16_()?),
            20 => Return,
            21 => Io(u32_()?),
            22 => Native(u32_()?),
            23 => Halt,
            _ => return None,
        })
    }

    /// Whether the op carries an operand.
    pub fn has_operand(self) -> bool {
        use Op::*;
        !matches!(
            self,
            Pop | Dup | Add | Sub | Mul | Div | Mod | Lt | Le | Eq | Not | Return | Halt
        )
    }

    /// The assembler name.
    pub fn mnemonic(self) -> &'static str {
        MNEMONICS[usize::from(self.parts().0)]
    }
}
