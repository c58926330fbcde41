//! A small stack machine whose programs look like CPython bytecode.
//!
//! Why a real interpreter: CPU-bound Python is slow *and* serialised by the GIL because every
//! line is a loop of "fetch an opcode, dispatch, push and pop"; the GIL protects exactly that
//! loop. So the work the lesson's lock serialises must be genuine interpretation, not a Rust
//! loop pretending. [`Machine::run`] executes ops until something the *caller* must handle:
//! an eval-breaker check point (a backward jump or a call, where CPython 3.10+ looks at its
//! drop request), a blocking I/O wait, a native ("C library") call, or the end. Keeping the
//! lock out of the machine lets one interpreter serve every mode (GIL, free-threaded,
//! processes).
//!
//! Globals are `AtomicI64`s read and written with separate relaxed loads and stores, so
//! `counter += 1` is a real read-modify-write race between threads (as in CPython: a
//! `LOAD_GLOBAL` and a `STORE_GLOBAL`) without undefined behaviour. Integers wrap instead of
//! growing like Python's; `//` and `%` round towards minus infinity like Python's.

use std::sync::atomic::{AtomicI64, Ordering};

use serde::{Deserialize, Serialize};

use super::op::Op;

/// Deepest value stack a program may build (a runaway program faults instead of eating memory).
pub const MAX_STACK: usize = 4096;
/// Deepest call nesting (Python's recursion limit, scaled down).
pub const MAX_FRAMES: usize = 256;

/// A function: its code starts at `entry`; its first `params` locals are its parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Func {
    /// Name from the source, for errors and listings.
    pub name: String,
    /// Code offset of its first instruction.
    pub entry: u32,
    /// Parameters, popped from the caller's stack into the first locals.
    pub params: u16,
    /// Names of all locals, parameters first.
    pub locals: Vec<String>,
}

/// A whole program; `funcs[0]` is `main`, which receives the thread's arguments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    /// The bytecode of every function, one after another.
    pub code: Vec<Op>,
    /// Functions, `main` first; [`Op::Call`] indexes this.
    pub funcs: Vec<Func>,
    /// Names of the shared global slots.
    pub globals: Vec<String>,
}

impl Program {
    /// Checks every operand is in range and every jump goes the way its op says (so a loop
    /// always passes a check point and can never hog the GIL). Errors name the offset.
    pub fn validate(&self) -> Result<(), (usize, String)> {
        let n = self.code.len();
        if self.funcs.is_empty() {
            return Err((0, "no functions (main must come first)".into()));
        }
        for f in &self.funcs {
            if f.entry as usize >= n || usize::from(f.params) > f.locals.len() {
                return Err((f.entry as usize, format!("bad header for function {}", f.name)));
            }
        }
        for (pc, &op) in self.code.iter().enumerate() {
            let bad = match op {
                Op::Jump(t) | Op::JumpIfFalse(t) => t as usize <= pc || t as usize >= n,
                Op::JumpBack(t) => t as usize > pc,
                Op::Call(f) => usize::from(f) >= self.funcs.len(),
                Op::LoadGlobal(g) | Op::StoreGlobal(g) => usize::from(g) >= self.globals.len(),
                _ => false,
            };
            if bad {
                let why = match op {
                    Op::Jump(_) | Op::JumpIfFalse(_) => "must jump forward (loops use jump_back)",
                    Op::JumpBack(_) => "must jump backward",
                    _ => "operand out of range",
                };
                return Err((pc, format!("{} {why}", op.mnemonic())));
            }
        }
        Ok(())
    }
}

/// What stopped [`Machine::run`]: the caller handles it, then calls `run` again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A backward jump or a call was just taken: where CPython 3.10+ checks its eval breaker.
    CheckPoint,
    /// Wait this many milliseconds (blocking I/O), then continue.
    Io(u32),
    /// Hash this many bytes natively, [`Machine::push`] the result, then continue.
    Native(u32),
    /// The program ended with this result; do not run the machine again.
    Done(i64),
}

/// Why a program stopped with an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fault {
    /// Popped an empty stack (or called with fewer values than parameters).
    StackUnderflow,
    /// More than [`MAX_STACK`] values or [`MAX_FRAMES`] nested calls.
    StackOverflow,
    /// `Div` or `Mod` by zero.
    DivisionByZero,
    /// A local, global, call or jump operand that does not exist.
    BadOperand,
    /// `main` was given the wrong number of arguments.
    WrongArgs {
        /// `main`'s parameters.
        expected: u16,
        /// Arguments given.
        got: usize,
    },
}

/// A [`Fault`] at a code offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VmError {
    /// Code offset of the instruction that faulted.
    pub pc: usize,
    /// What went wrong.
    pub fault: Fault,
}

impl std::fmt::Display for VmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} at offset {}", self.fault, self.pc)
    }
}

struct Frame {
    ret: usize,
    base: usize,
    stack: usize,
}

/// One interpreter thread's state: program counter, value stack, locals and call stack.
pub struct Machine<'p> {
    program: &'p Program,
    pc: usize,
    base: usize,
    stack: Vec<i64>,
    locals: Vec<i64>,
    frames: Vec<Frame>,
    ops: u64,
}

impl<'p> Machine<'p> {
    /// A machine about to run `main(args…)`.
    pub fn new(program: &'p Program, args: &[i64]) -> Result<Self, VmError> {
        let main = program.funcs.first().ok_or(VmError { pc: 0, fault: Fault::BadOperand })?;
        if args.len() != usize::from(main.params) {
            let fault = Fault::WrongArgs { expected: main.params, got: args.len() };
            return Err(VmError { pc: main.entry as usize, fault });
        }
        let mut locals = args.to_vec();
        locals.resize(main.locals.len(), 0);
        let (stack, frames) = (Vec::new(), Vec::new());
        Ok(Machine { program, pc: main.entry as usize, base: 0, stack, locals, frames, ops: 0 })
    }

    /// Instructions executed so far.
    pub fn ops(&self) -> u64 {
        self.ops
    }

    fn fault(&self, fault: Fault) -> VmError {
        VmError { pc: self.pc.saturating_sub(1), fault }
    }

    /// Pushes a value (the result of a native call).
    pub fn push(&mut self, v: i64) -> Result<(), VmError> {
        if self.stack.len() >= MAX_STACK {
            return Err(self.fault(Fault::StackOverflow));
        }
        self.stack.push(v);
        Ok(())
    }

    fn pop(&mut self) -> Result<i64, VmError> {
        self.stack.pop().ok_or_else(|| self.fault(Fault::StackUnderflow))
    }

    fn local(&mut self, i: u16) -> Result<&mut i64, VmError> {
        let fault = self.fault(Fault::BadOperand);
        self.locals.get_mut(self.base + usize::from(i)).ok_or(fault)
    }

    /// Executes instructions until an [`Event`] the caller must handle.
    pub fn run(&mut self, globals: &[AtomicI64]) -> Result<Event, VmError> {
        let code = &self.program.code;
        loop {
            let op = *code.get(self.pc).ok_or(VmError { pc: self.pc, fault: Fault::BadOperand })?;
            self.pc += 1;
            self.ops += 1;
            match op {
                Op::PushConst(v) => self.push(v)?,
                Op::Pop => _ = self.pop()?,
                Op::Dup => {
                    let v = self.pop()?;
                    self.push(v)?;
                    self.push(v)?;
                }
                Op::LoadLocal(i) => {
                    let v = *self.local(i)?;
                    self.push(v)?;
                }
                Op::StoreLocal(i) => *self.local(i)? = self.pop()?,
                Op::LoadGlobal(g) => {
                    let slot = globals.get(usize::from(g));
                    let v = slot.ok_or_else(|| self.fault(Fault::BadOperand))?;
                    self.push(v.load(Ordering::Relaxed))?;
                }
                Op::StoreGlobal(g) => {
                    let v = self.pop()?;
                    let slot = globals.get(usize::from(g));
                    slot.ok_or_else(|| self.fault(Fault::BadOperand))?.store(v, Ordering::Relaxed);
                }
                Op::Add | Op::Sub | Op::Mul | Op::Div | Op::Mod | Op::Lt | Op::Le | Op::Eq => {
                    let b = self.pop()?;
                    let a = self.pop()?;
                    let v = binary(op, a, b).ok_or_else(|| self.fault(Fault::DivisionByZero))?;
                    self.push(v)?;
                }
                Op::Not => {
                    let v = self.pop()?;
                    self.push(i64::from(v == 0))?;
                }
                Op::Jump(t) => self.pc = t as usize,
                Op::JumpIfFalse(t) => {
                    if self.pop()? == 0 {
                        self.pc = t as usize;
                    }
                }
                Op::JumpBack(t) => {
                    self.pc = t as usize;
                    return Ok(Event::CheckPoint);
                }
                Op::Call(f) => {
                    self.call(f)?;
                    return Ok(Event::CheckPoint);
                }
                Op::Return => {
                    let v = self.pop()?;
                    let Some(frame) = self.frames.pop() else { return Ok(Event::Done(v)) };
                    self.locals.truncate(self.base);
                    self.stack.truncate(frame.stack);
                    (self.base, self.pc) = (frame.base, frame.ret);
                    self.push(v)?;
                }
                Op::Io(ms) => return Ok(Event::Io(ms)),
                Op::Native(n) => return Ok(Event::Native(n)),
                Op::Halt => return Ok(Event::Done(self.stack.last().copied().unwrap_or(0))),
            }
        }
    }

    fn call(&mut self, f: u16) -> Result<(), VmError> {
        let func = self.program.funcs.get(usize::from(f));
        let func = func.ok_or_else(|| self.fault(Fault::BadOperand))?;
        if self.frames.len() >= MAX_FRAMES {
            return Err(self.fault(Fault::StackOverflow));
        }
        let args_at = self
            .stack
            .len()
            .checked_sub(usize::from(func.params))
            .ok_or_else(|| self.fault(Fault::StackUnderflow))?;
        let base = self.locals.len();
        self.locals.extend(self.stack.drain(args_at..));
        self.locals.resize(base + func.locals.len(), 0);
        self.frames.push(Frame { ret: self.pc, base: self.base, stack: args_at });
        (self.base, self.pc) = (base, func.entry as usize);
        Ok(())
    }
}

/// A binary op on `a` (below) and `b` (top); `None` on division by zero.
fn binary(op: Op, a: i64, b: i64) -> Option<i64> {
    let floor_div_mod = || {
        if b == 0 {
            return None;
        }
        let (q, r) = (a.wrapping_div(b), a.wrapping_rem(b));
        // Rust truncates towards zero; Python floors, so the remainder takes b's sign.
        Some(if r != 0 && (r < 0) != (b < 0) { (q - 1, r + b) } else { (q, r) })
    };
    Some(match op {
        Op::Add => a.wrapping_add(b),
        Op::Sub => a.wrapping_sub(b),
        Op::Mul => a.wrapping_mul(b),
        Op::Div => floor_div_mod()?.0,
        Op::Mod => floor_div_mod()?.1,
        Op::Lt => i64::from(a < b),
        Op::Le => i64::from(a <= b),
        Op::Eq => i64::from(a == b),
        _ => unreachable!("not a binary op: {op:?}"),
    })
}
