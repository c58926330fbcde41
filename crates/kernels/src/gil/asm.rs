//! A tiny assembler, so programs (the presets, or a user's) read like `dis.dis` output with
//! names and labels instead of numbers, and a disassembler for showing the bytecode.
//!
//! Syntax, one item a line, `#` starts a comment:
//! ```text
//! globals counter          # shared global slots, in order
//! def main n               # a function and its parameters; the first one is main
//!     locals i tmp         # more locals of the current function
//! top:                     # a label (names are global to the program)
//!     load_local i         # an op: a mnemonic of op::MNEMONICS and its operand
//!     jump_back top        # operands: numbers, local/global/function names, labels
//! ```

use std::collections::HashMap;
use std::fmt;

use super::op::{MNEMONICS, Op};
use super::vm::{Func, Program};

/// An assembly error at a 1-based source line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsmError {
    /// 1-based line of the source the error is on.
    pub line: usize,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for AsmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

struct Pending<'s> {
    line: usize,
    func: usize,
    tag: u8,
    operand: Option<&'s str>,
}

/// Assembles `src` into a validated [`Program`].
pub fn assemble(src: &str) -> Result<Program, AsmError> {
    let mut program = Program { code: Vec::new(), funcs: Vec::new(), globals: Vec::new() };
    let mut labels = HashMap::new();
    let mut pending = Vec::new();
    for (i, raw) in src.lines().enumerate() {
        let err = |message: String| AsmError { line: i + 1, message };
        let words: Vec<&str> = raw.split('#').next().unwrap_or("").split_whitespace().collect();
        let names = || words[1..].iter().map(|w| w.to_string());
        match words.as_slice() {
            [] => {}
            ["globals", ..] => program.globals.extend(names()),
            ["def", name, params @ ..] => program.funcs.push(Func {
                name: name.to_string(),
                entry: pending.len() as u32,
                params: params.len() as u16,
                locals: params.iter().map(|p| p.to_string()).collect(),
            }),
            ["locals", ..] => {
                let func =
                    program.funcs.last_mut().ok_or_else(|| err("locals before def".into()))?;
                func.locals.extend(names());
            }
            [label] if label.ends_with(':') => {
                if labels.insert(label.trim_end_matches(':'), pending.len()).is_some() {
                    return Err(err(format!("label {label} defined twice")));
                }
            }
            [mnemonic, rest @ ..] if rest.len() <= 1 => {
                let tag = MNEMONICS.iter().position(|m| m == mnemonic);
                let tag = tag.ok_or_else(|| err(format!("unknown op {mnemonic}")))? as u8;
                let func = program
                    .funcs
                    .len()
                    .checked_sub(1)
                    .ok_or_else(|| err("op before def".into()))?;
                pending.push(Pending { line: i + 1, func, tag, operand: rest.first().copied() });
            }
            _ => return Err(err(format!("cannot read {:?}", raw.trim()))),
        }
    }
    for p in &pending {
        let op =
            resolve(p, &program, &labels).map_err(|message| AsmError { line: p.line, message })?;
        program.code.push(op);
    }
    program.validate().map_err(|(pc, message)| AsmError {
        line: pending.get(pc).map_or(0, |p| p.line),
        message,
    })?;
    Ok(program)
}

/// Turns one pending op's symbolic operand into a number and builds the op.
fn resolve(p: &Pending, program: &Program, labels: &HashMap<&str, usize>) -> Result<Op, String> {
    let shape = Op::from_parts(p.tag, 0).expect("tags come from MNEMONICS");
    let Some(word) = p.operand else {
        return if shape.has_operand() {
            Err(format!("{} needs an operand", shape.mnemonic()))
        } else {
            Ok(shape)
        };
    };
    let find = |names: &[String], what: &str| {
        names.iter().position(|n| n == word).ok_or(format!("unknown {what} {word}"))
    };
    let value = match shape {
        Op::PushConst(_) | Op::Io(_) | Op::Native(_) => {
            word.parse::<i64>().map_err(|_| format!("{word} is not a number"))?
        }
        Op::LoadLocal(_) | Op::StoreLocal(_) => {
            find(&program.funcs[p.func].locals, "local")? as i64
        }
        Op::LoadGlobal(_) | Op::StoreGlobal(_) => find(&program.globals, "global")? as i64,
        Op::Jump(_) | Op::JumpIfFalse(_) | Op::JumpBack(_) => {
            *labels.get(word).ok_or(format!("unknown label {word}"))? as i64
        }
        Op::Call(_) => program
            .funcs
            .iter()
            .position(|f| f.name == word)
            .ok_or(format!("unknown function {word}"))? as i64,
        _ => return Err(format!("{} takes no operand", shape.mnemonic())),
    };
    Op::from_parts(p.tag, value).ok_or(format!("{word} is out of range"))
}

/// Disassembly in the style of `dis.dis`: offset, mnemonic, operand (with names).
impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.globals.is_empty() {
            writeln!(f, "globals {}", self.globals.join(" "))?;
        }
        let mut locals: &[String] = &[];
        for (pc, &op) in self.code.iter().enumerate() {
            if let Some(func) = self.funcs.iter().find(|g| g.entry as usize == pc) {
                locals = &func.locals;
                let params = locals.get(..func.params.into()).unwrap_or_default();
                writeln!(f, "def {}({})", func.name, params.join(", "))?;
            }
            let (_, x) = op.parts();
            let name = |names: &[String]| names.get(x as usize).cloned().unwrap_or_default();
            let operand = match op {
                Op::LoadLocal(_) | Op::StoreLocal(_) => name(locals),
                Op::LoadGlobal(_) | Op::StoreGlobal(_) => name(&self.globals),
                Op::Call(_) => {
                    self.funcs.get(x as usize).map(|g| g.name.clone()).unwrap_or_default()
                }
                Op::Jump(_) | Op::JumpIfFalse(_) | Op::JumpBack(_) => format!("-> {x}"),
                _ if op.has_operand() => x.to_string(),
                _ => String::new(),
            };
            let line = format!("{pc:>5}  {:<14}{operand}", op.mnemonic());
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}
