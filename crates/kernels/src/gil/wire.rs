//! A compact byte format for process messages (what `pickle` is to `multiprocessing`).
//!
//! Why hand-written bytes rather than JSON: the cost of crossing a process boundary is the
//! point being measured, so messages are real byte buffers (what `postMessage` would copy)
//! and their size is counted. Integers are LEB128 varints (zig-zag for signed), floats 8
//! little-endian bytes, strings a length and UTF-8. Decoding checks every length against the
//! bytes left, so a corrupt message is an error, never a panic or a huge allocation.

use super::op::Op;
use super::timeline::{Activity, Segment};
use super::vm::{Func, Program};

/// Appends values to a byte buffer.
#[derive(Default)]
pub(super) struct Writer(pub Vec<u8>);

impl Writer {
    pub fn u(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    pub fn i(&mut self, v: i64) {
        self.u(((v << 1) ^ (v >> 63)) as u64);
    }

    pub fn f(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub fn s(&mut self, v: &str) {
        self.u(v.len() as u64);
        self.0.extend_from_slice(v.as_bytes());
    }

    pub fn strs(&mut self, v: &[String]) {
        self.u(v.len() as u64);
        v.iter().for_each(|x| self.s(x));
    }

    pub fn ints(&mut self, v: &[i64]) {
        self.u(v.len() as u64);
        v.iter().for_each(|&x| self.i(x));
    }

    pub fn program(&mut self, p: &Program) {
        self.strs(&p.globals);
        self.u(p.funcs.len() as u64);
        for f in &p.funcs {
            self.s(&f.name);
            self.u(f.entry.into());
            self.u(f.params.into());
            self.strs(&f.locals);
        }
        self.u(p.code.len() as u64);
        for &op in &p.code {
            let (tag, x) = op.parts();
            self.0.push(tag);
            if op.has_operand() {
                self.i(x);
            }
        }
    }

    pub fn segments(&mut self, v: &[Segment]) {
        self.u(v.len() as u64);
        for s in v {
            let tag = Activity::ALL.iter().position(|&a| a == s.activity).unwrap_or(0);
            self.0.push(tag as u8);
            self.f(s.start_ms);
            self.f(s.end_ms);
        }
    }
}

/// Reads values back, failing on anything malformed.
pub(super) struct Reader<'a> {
    pub bytes: &'a [u8],
}

type R<T> = Result<T, String>;

impl Reader<'_> {
    pub fn byte(&mut self) -> R<u8> {
        let (&b, rest) = self.bytes.split_first().ok_or("message ends early")?;
        self.bytes = rest;
        Ok(b)
    }

    pub fn u(&mut self) -> R<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err("varint too long".into())
    }

    /// A count of items each at least one byte long.
    fn len(&mut self) -> R<usize> {
        let n = self.u()?;
        if n > self.bytes.len() as u64 { Err("length past the end".into()) } else { Ok(n as usize) }
    }

    pub fn i(&mut self) -> R<i64> {
        let v = self.u()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    pub fn f(&mut self) -> R<f64> {
        let head = self.bytes.split_first_chunk::<8>();
        let (b, rest) = head.ok_or("message ends early")?;
        self.bytes = rest;
        Ok(f64::from_le_bytes(*b))
    }

    pub fn s(&mut self) -> R<String> {
        let n = self.len()?;
        let (b, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        String::from_utf8(b.to_vec()).map_err(|_| "bad UTF-8".into())
    }

    pub fn strs(&mut self) -> R<Vec<String>> {
        (0..self.len()?).map(|_| self.s()).collect()
    }

    pub fn ints(&mut self) -> R<Vec<i64>> {
        (0..self.len()?).map(|_| self.i()).collect()
    }

    pub fn program(&mut self) -> R<Program> {
        let globals = self.strs()?;
        let funcs = (0..self.len()?)
            .map(|_| {
                let name = self.s()?;
                let entry = u32::try_from(self.u()?).map_err(|_| "bad entry")?;
                let params = u16::try_from(self.u()?).map_err(|_| "bad params")?;
                Ok(Func { name, entry, params, locals: self.strs()? })
            })
            .collect::<R<Vec<_>>>()?;
        let code = (0..self.len()?)
            .map(|_| {
                let tag = self.byte()?;
                let shape = Op::from_parts(tag, 0).ok_or("unknown op")?;
                let x = if shape.has_operand() { self.i()? } else { 0 };
                Op::from_parts(tag, x).ok_or_else(|| "operand out of range".to_string())
            })
            .collect::<R<Vec<_>>>()?;
        let program = Program { code, funcs, globals };
        program.validate().map_err(|(pc, e)| format!("offset {pc}: {e}"))?;
        Ok(program)
    }

    pub fn segments(&mut self) -> R<Vec<Segment>> {
        (0..self.len()?)
            .map(|_| {
                let activity =
                    *Activity::ALL.get(usize::from(self.byte()?)).ok_or("bad activity")?;
                Ok(Segment { activity, start_ms: self.f()?, end_ms: self.f()? })
            })
            .collect()
    }

    /// Fails unless every byte was read.
    pub fn end(&self) -> R<()> {
        if self.bytes.is_empty() { Ok(()) } else { Err("trailing bytes".into()) }
    }
}
