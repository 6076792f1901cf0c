//! `host.stringify(value)`: `JSON.stringify` for the plain data handlers hand
//! each other (values, the stash), done natively. QuickJS's own stringify
//! builds each key and string as a JavaScript string and keeps its cycle stack
//! in a JavaScript array; it cost about 240 instructions per byte of output,
//! a quarter of a request. This walk writes the text directly and answers
//! `null` for anything that is not plain data (a `toJSON` method, an object
//! of a built-in class such as a Date or a Map, a proxy, a BigInt, a string
//! with a lone surrogate, a very deep or cyclic value): the caller then uses
//! `JSON.stringify`, so every result and error is the standard one (a value
//! that turns out not to be plain data partway has its getters read twice).

use std::ffi::c_char;
use std::io::Write;

use rquickjs::{qjs, Ctx, Object, Result, Value};

/// Deeper than this, the value may be cyclic: `JSON.stringify` decides.
const MAX_DEPTH: usize = 64;

/// Plain data could not be written: use `JSON.stringify`.
struct NotPlain;

type Walk = std::result::Result<(), NotPlain>;

/// `host.stringify(value)`: the JSON text, `undefined` where `JSON.stringify`
/// answers `undefined` (functions, symbols, `undefined`), or `null` when
/// `JSON.stringify` must decide.
pub(super) fn stringify<'js>(ctx: Ctx<'js>, value: Value<'js>) -> Result<Value<'js>> {
    if skipped(&value) {
        return Ok(Value::new_undefined(ctx));
    }
    let mut out = Vec::with_capacity(256);
    match write(&ctx, &mut out, &value, 0) {
        // Only valid UTF-8 is ever written.
        Ok(()) => match String::from_utf8(out) {
            Ok(text) => rquickjs::String::from_str(ctx, &text).map(|s| s.into_value()),
            Err(_) => Ok(Value::new_null(ctx)),
        },
        Err(NotPlain) => {
            // A getter that threw leaves its exception pending: JSON.stringify
            // will meet it again and throw it properly.
            let _ = ctx.catch();
            Ok(Value::new_null(ctx))
        }
    }
}

/// What `JSON.stringify` leaves out of objects (and writes as null in arrays).
fn skipped(v: &Value<'_>) -> bool {
    v.is_undefined() || v.is_symbol() || v.is_function()
}

fn write(ctx: &Ctx<'_>, out: &mut Vec<u8>, v: &Value<'_>, depth: usize) -> Walk {
    if v.is_null() {
        out.extend_from_slice(b"null");
    } else if let Some(b) = v.as_bool() {
        out.extend_from_slice(if b { b"true" } else { b"false" });
    } else if let Some(i) = v.as_int() {
        let _ = write!(out, "{i}");
    } else if let Some(f) = v.as_float() {
        number(ctx, out, v, f)?;
    } else if v.is_string() {
        string(ctx, out, v)?;
    } else if v.is_array() {
        array(ctx, out, v, depth)?;
    } else if v.is_object() {
        object(ctx, out, v, depth)?;
    } else {
        // BigInt and whatever else: JSON.stringify throws or decides.
        return Err(NotPlain);
    }
    Ok(())
}

/// A float as JavaScript prints it: integers below 2^53 directly, others
/// (fractions, exponents) in JavaScript's own formatting.
fn number(ctx: &Ctx<'_>, out: &mut Vec<u8>, v: &Value<'_>, f: f64) -> Walk {
    if !f.is_finite() {
        out.extend_from_slice(b"null");
    } else if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        // -0 prints as 0.
        let _ = write!(out, "{}", f as i64);
    } else {
        // SAFETY: JS_ToString answers a new value, owned (and freed) by `text`.
        let text = unsafe { Value::from_raw(ctx.clone(), qjs::JS_ToString(ctx.as_raw().as_ptr(), v.as_raw())) };
        let text = text.as_string().and_then(|s| s.to_string().ok()).ok_or(NotPlain)?;
        out.extend_from_slice(text.as_bytes());
    }
    Ok(())
}

fn string(ctx: &Ctx<'_>, out: &mut Vec<u8>, v: &Value<'_>) -> Walk {
    let mut len: qjs::size_t = 0;
    // SAFETY: `v` is a live string of `ctx`; the C string is freed below and
    // read only before that.
    unsafe {
        let ptr = qjs::JS_ToCStringLen2(ctx.as_raw().as_ptr(), &mut len, v.as_raw(), false);
        if ptr.is_null() {
            return Err(NotPlain);
        }
        let bytes = std::slice::from_raw_parts(ptr as *const u8, len as usize);
        // Lone surrogates come out as invalid UTF-8; JSON.stringify escapes them.
        let done = std::str::from_utf8(bytes).map(|s| serde_json::to_writer(&mut *out, s));
        qjs::JS_FreeCString(ctx.as_raw().as_ptr(), ptr);
        match done {
            Ok(Ok(())) => Ok(()),
            _ => Err(NotPlain),
        }
    }
}

/// Whether `obj` (or its prototypes) has a `toJSON` function.
fn has_to_json(obj: &Object<'_>) -> Walk {
    match obj.get::<_, Value>("toJSON") {
        Ok(f) if f.is_function() => Err(NotPlain),
        Ok(_) => Ok(()),
        Err(_) => Err(NotPlain),
    }
}

fn array(ctx: &Ctx<'_>, out: &mut Vec<u8>, v: &Value<'_>, depth: usize) -> Walk {
    let arr = v.as_array().ok_or(NotPlain)?;
    if depth >= MAX_DEPTH {
        return Err(NotPlain);
    }
    has_to_json(arr.as_object())?;
    out.push(b'[');
    for i in 0..arr.len() {
        if i > 0 {
            out.push(b',');
        }
        let item: Value = arr.get(i).map_err(|_| NotPlain)?;
        if skipped(&item) {
            out.extend_from_slice(b"null");
        } else {
            write(ctx, out, &item, depth + 1)?;
        }
    }
    out.push(b']');
    Ok(())
}

fn object(ctx: &Ctx<'_>, out: &mut Vec<u8>, v: &Value<'_>, depth: usize) -> Walk {
    const JS_CLASS_OBJECT: u32 = 1;
    let obj = v.as_object().ok_or(NotPlain)?;
    // SAFETY: reads the class of a live object.
    let class = unsafe { qjs::JS_GetClassID(v.as_raw()) };
    if depth >= MAX_DEPTH || class != JS_CLASS_OBJECT {
        return Err(NotPlain);
    }
    has_to_json(obj)?;
    let raw_ctx = ctx.as_raw().as_ptr();
    let mut tab: *mut qjs::JSPropertyEnum = std::ptr::null_mut();
    let mut len: u32 = 0;
    let flags = (qjs::JS_GPN_STRING_MASK | qjs::JS_GPN_ENUM_ONLY) as i32;
    // SAFETY: `tab` receives `len` entries owned by us until
    // JS_FreePropertyEnum; each property value is owned by a `Value` (freed
    // on drop); each key's C string is freed right after it is written.
    unsafe {
        if qjs::JS_GetOwnPropertyNames(raw_ctx, &mut tab, &mut len, v.as_raw(), flags) < 0 {
            // The exception stays pending for JSON.stringify to meet again.
            return Err(NotPlain);
        }
        let entries = std::slice::from_raw_parts(tab, len as usize);
        let mut walk = Ok(());
        let mut first = true;
        out.push(b'{');
        for entry in entries {
            let item = Value::from_raw(ctx.clone(), qjs::JS_GetProperty(raw_ctx, v.as_raw(), entry.atom));
            if item.is_exception() {
                walk = Err(NotPlain);
                break;
            }
            if skipped(&item) {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            let mut key_len: qjs::size_t = 0;
            let key = qjs::JS_AtomToCStringLen(raw_ctx, &mut key_len, entry.atom);
            if key.is_null() {
                walk = Err(NotPlain);
                break;
            }
            let bytes = std::slice::from_raw_parts(key as *const u8, key_len as usize);
            let written = std::str::from_utf8(bytes).map(|s| serde_json::to_writer(&mut *out, s));
            qjs::JS_FreeCString(raw_ctx, key as *const c_char);
            if !matches!(written, Ok(Ok(()))) {
                walk = Err(NotPlain);
                break;
            }
            out.push(b':');
            walk = write(ctx, out, &item, depth + 1);
            if walk.is_err() {
                break;
            }
        }
        qjs::JS_FreePropertyEnum(raw_ctx, tab, len);
        walk?;
    }
    out.push(b'}');
    Ok(())
}

#[cfg(test)]
mod tests {
    use rquickjs::{Context, Function, Runtime};

    /// JavaScript's own `JSON.stringify` judges: for every case, the native
    /// text (or, where it declines, JSON.stringify's) is JSON.stringify's text
    /// or error; and plain data never needs the fallback.
    const JUDGE: &str = r#"
      const native = (v) => __stringify(v);
      const combined = (v) => { const t = native(v); return t === null ? JSON.stringify(v) : t; };
      const outcome = (f, v) => { try { return ['ok', f(v)]; } catch (e) { return ['throws', e.constructor.name]; } };
      class Point { constructor() { this.x = 1; } }
      const cyclic = { a: 1 }; cyclic.self = cyclic;
      const nullProto = Object.create(null); nullProto.b = 2; nullProto.a = [1];
      const withGetter = { get g() { return { n: 1 }; }, plain: 'p' };
      const throwingGetter = { get boom() { throw new RangeError('no'); } };
      const sparse = [1, , 3]; sparse[6] = 'x';
      const deep = []; let d = deep; for (let i = 0; i < 200; i++) { d.push([]); d = d[0]; }
      const plain = {
        empty: {}, emptyArray: [], nested: { a: { b: { c: [1, 2, { d: null }] } } },
        strings: ['', 'plain', 'quote " backslash \\ slash /', 'ctl \n\r\t\b\f \u0000 \u001f \u007f',
          'é ü 中文 😀', '\u2028\u2029', 'a\ud800b'.slice(0, 1)],
        numbers: [0, -0, 1, -1, 2147483647, -2147483648, 2147483648, 9007199254740991, 1.5, 0.1,
          1e21, 1e-7, 123456789.125, NaN, Infinity, -Infinity],
        bools: [true, false], nulls: [null, undefined, () => 1, Symbol('s')],
        skippedProps: { u: undefined, f() {}, s: Symbol('s'), kept: 1 },
        keyOrder: { b: 1, 2: 'two', a: 2, 1: 'one', '-1': 'minus' },
        keys: { 'quote"key': 1, 'new\nline': 2, 'ü': 3 },
        withGetter, nullProto, sparse,
        item: { __typename: 'Chat', id: 'c1', owner: 'u1::alice', createdAt: '2026-12-06T21:48:41.012Z' },
      };
      plain.point = new Point();
      const fallback = {
        date: new Date(0), toJson: { toJSON() { return 'mine'; } }, map: new Map([[1, 2]]),
        boxed: [new String('s'), new Number(2), new Boolean(false)],
        error: new Error('e'), regexp: /x/g, proxy: new Proxy({ a: 1 }, {}),
        bigint: 10n, cyclic, deep, throwingGetter, loneSurrogate: 'a\ud800b',
        inherited: Object.create({ toJSON() { return 'proto'; } }),
      };
      const problems = [];
      for (const [name, v] of [...Object.entries(plain), ['whole', plain], ['undefined', undefined], ['fn', () => 1]]) {
        const want = outcome(JSON.stringify, v), got = outcome(combined, v);
        if (JSON.stringify(want) !== JSON.stringify(got)) problems.push(`${name}: ${got} != ${want}`);
        if (v !== undefined && typeof v !== 'function' && native(v) === null) problems.push(`${name}: fell back`);
      }
      for (const [name, v] of Object.entries(fallback)) {
        const want = outcome(JSON.stringify, v), got = outcome(combined, v);
        if (JSON.stringify(want) !== JSON.stringify(got)) problems.push(`${name}: ${got} != ${want}`);
        if (outcome(native, v)[1] !== null) problems.push(`${name}: not left to JSON.stringify`);
      }
      problems.join('\n')
    "#;

    #[test]
    fn agrees_with_json_stringify() {
        let rt = Runtime::new().unwrap();
        let ctx = Context::full(&rt).unwrap();
        let problems: String = ctx.with(|ctx| {
            ctx.globals().set("__stringify", Function::new(ctx.clone(), super::stringify).unwrap()).unwrap();
            ctx.eval(JUDGE).unwrap_or_else(|e| panic!("{e}: {:?}", ctx.catch()))
        });
        assert_eq!(problems, "");
    }
}
