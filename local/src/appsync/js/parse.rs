//! `host.parse(text)`: `JSON.parse` for the parts of `ctx` a handler reads,
//! done natively: serde_json reads the text (QuickJS's own tokenizer costs
//! about 100 instructions per byte) and the values are made directly. Anything
//! serde_json refuses (a lone surrogate escape, nesting past its limit, bad
//! JSON) answers `undefined`, and the caller uses `JSON.parse`, so every
//! result and error is the standard one. Numbers are read with serde_json's
//! `float_roundtrip`, which rounds as JavaScript does.

use std::fmt;

use rquickjs::{qjs, Ctx, Result, Value};
use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};

/// `host.parse(text)`: the value, or `undefined` when `JSON.parse` must decide.
pub(super) fn parse<'js>(ctx: Ctx<'js>, text: rquickjs::String<'js>) -> Result<Value<'js>> {
    // Text that is not UTF-8 (a raw lone surrogate) is JSON.parse's to read.
    let Ok(text) = text.to_string() else {
        let _ = ctx.catch();
        return Ok(Value::new_undefined(ctx));
    };
    if negative_zero(&text) {
        return Ok(Value::new_undefined(ctx));
    }
    let mut de = serde_json::Deserializer::from_str(&text);
    match Seed(&ctx).deserialize(&mut de).and_then(|v| de.end().map(|()| v)) {
        Ok(v) => Ok(v),
        Err(_) => {
            // An engine failure (out of memory) leaves an exception pending:
            // JSON.parse meets the same and throws it.
            let _ = ctx.catch();
            Ok(Value::new_undefined(ctx))
        }
    }
}

/// Whether `text` may hold the number `-0`, which serde_json reads as the
/// integer 0 (a string holding `-0` also answers yes: JSON.parse decides).
fn negative_zero(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w == b"-0")
        .any(|(i, _)| !matches!(bytes.get(i + 2), Some(b'.' | b'e' | b'E' | b'0'..=b'9')))
}

/// Builds one JSON value as a JavaScript value.
struct Seed<'a, 'js>(&'a Ctx<'js>);

impl<'de, 'js> DeserializeSeed<'de> for Seed<'_, 'js> {
    type Value = Value<'js>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Value<'js>, D::Error> {
        d.deserialize_any(self)
    }
}

/// Raw values owned here: freed unless handed to QuickJS.
struct Owned<'a, 'js>(&'a Ctx<'js>, Vec<qjs::JSValue>);

impl Owned<'_, '_> {
    fn push(&mut self, v: Value<'_>) {
        // SAFETY: the list takes its own reference; `v` (and the context
        // reference it holds) is released as usual.
        self.1.push(unsafe { qjs::JS_DupValue(self.0.as_raw().as_ptr(), v.as_raw()) });
    }
}

impl Drop for Owned<'_, '_> {
    fn drop(&mut self) {
        for v in self.1.drain(..) {
            // SAFETY: each value is owned by this list.
            unsafe { qjs::JS_FreeValue(self.0.as_raw().as_ptr(), v) };
        }
    }
}

/// An atom owned here, freed on drop.
struct AtomRef<'a, 'js>(&'a Ctx<'js>, qjs::JSAtom);

impl Drop for AtomRef<'_, '_> {
    fn drop(&mut self) {
        // SAFETY: the atom is owned by this guard.
        unsafe { qjs::JS_FreeAtom(self.0.as_raw().as_ptr(), self.1) };
    }
}

/// A key, as an atom.
struct Key<'a, 'js>(&'a Ctx<'js>);

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = qjs::JSAtom;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<qjs::JSAtom, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = qjs::JSAtom;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> std::result::Result<qjs::JSAtom, E> {
        // SAFETY: reads `s` for its length.
        let atom = unsafe { qjs::JS_NewAtomLen(self.0.as_raw().as_ptr(), s.as_ptr().cast(), s.len() as _) };
        if atom == qjs::JS_ATOM_NULL {
            return Err(E::custom("out of memory"));
        }
        Ok(atom)
    }
}

impl<'de, 'js> Visitor<'de> for Seed<'_, 'js> {
    type Value = Value<'js>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_unit<E>(self) -> std::result::Result<Value<'js>, E> {
        Ok(Value::new_null(self.0.clone()))
    }

    fn visit_bool<E>(self, b: bool) -> std::result::Result<Value<'js>, E> {
        Ok(Value::new_bool(self.0.clone(), b))
    }

    fn visit_i64<E>(self, i: i64) -> std::result::Result<Value<'js>, E> {
        Ok(match i32::try_from(i) {
            Ok(i) => Value::new_int(self.0.clone(), i),
            Err(_) => Value::new_float(self.0.clone(), i as f64),
        })
    }

    fn visit_u64<E>(self, u: u64) -> std::result::Result<Value<'js>, E> {
        Ok(match i32::try_from(u) {
            Ok(i) => Value::new_int(self.0.clone(), i),
            Err(_) => Value::new_float(self.0.clone(), u as f64),
        })
    }

    fn visit_f64<E>(self, f: f64) -> std::result::Result<Value<'js>, E> {
        Ok(Value::new_float(self.0.clone(), f))
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> std::result::Result<Value<'js>, E> {
        rquickjs::String::from_str(self.0.clone(), s).map(|s| s.into_value()).map_err(E::custom)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value<'js>, A::Error> {
        let ctx = self.0;
        let mut items = Owned(ctx, Vec::with_capacity(seq.size_hint().unwrap_or(4)));
        while let Some(v) = seq.next_element_seed(Seed(ctx))? {
            items.push(v);
        }
        let values = std::mem::take(&mut items.1);
        // SAFETY: JS_NewArrayFrom takes the values, on failure too.
        let array = unsafe { qjs::JS_NewArrayFrom(ctx.as_raw().as_ptr(), values.len() as _, values.as_ptr()) };
        // SAFETY: a new value, owned from here.
        let array = unsafe { Value::from_raw(ctx.clone(), array) };
        if array.is_exception() {
            return Err(A::Error::custom("out of memory"));
        }
        Ok(array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value<'js>, A::Error> {
        let ctx = self.0;
        // Defined in order, as JSON.parse does: a repeated key keeps its first
        // place and its last value; `__proto__` is an own data property.
        let object = rquickjs::Object::new(ctx.clone()).map_err(A::Error::custom)?;
        while let Some(key) = map.next_key_seed(Key(ctx))? {
            let key = AtomRef(ctx, key);
            let value = map.next_value_seed(Seed(ctx))?;
            // SAFETY: the call takes a new reference to the value; the atom
            // stays ours (freed with `key`).
            let done = unsafe {
                let value = qjs::JS_DupValue(ctx.as_raw().as_ptr(), value.as_raw());
                qjs::JS_DefinePropertyValue(
                    ctx.as_raw().as_ptr(),
                    object.as_raw(),
                    key.1,
                    value,
                    qjs::JS_PROP_C_W_E as _,
                )
            };
            if done < 0 {
                return Err(A::Error::custom("out of memory"));
            }
        }
        Ok(object.into_value())
    }
}

#[cfg(test)]
mod tests {
    use rquickjs::{Context, Function, Runtime};

    /// JavaScript's own `JSON.parse` judges: for every text, the native value
    /// (or, where it declines, JSON.parse's) has the same type, keys in the
    /// same order, numbers (-0 too) and strings as JSON.parse's, or the same
    /// error; ordinary JSON never needs the fallback.
    const JUDGE: &str = r#"
      const native = (t) => __parse(t);
      const combined = (t) => { const v = native(t); return v === undefined ? JSON.parse(t) : v; };
      // Type, own keys in order, and -0 made visible.
      const show = (v) => {
        if (Object.is(v, -0)) return '-0';
        if (Array.isArray(v)) return '[' + v.map(show).join(',') + ']';
        if (v !== null && typeof v === 'object') {
          return (Object.getPrototypeOf(v) === Object.prototype ? '' : 'odd-proto') +
            '{' + Reflect.ownKeys(v).map((k) => JSON.stringify(k) + ':' + show(v[k])).join(',') + '}';
        }
        return typeof v + ':' + String(v);
      };
      const outcome = (f, t) => { try { return 'ok ' + show(f(t)); } catch (e) { return 'throws ' + e.constructor.name; } };
      const ordinary = [
        'null', 'true', 'false', '0', '1', '-1', '2147483647', '2147483648', '-2147483649',
        '9007199254740993', '1.5', '0.1', '-0.0', '1e21', '1e-7', '123456789.125', '5e-324',
        '1.7976931348623157e308', '"plain"', '"esc \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000 \\u001f"',
        '"é ü 中文 😀 \\u00e9 \\ud83d\\ude00"', '""', '[]', '{}', '[1,[2,[3,{}]]]',
        '{"b":1,"a":2,"2":"two","1":"one","-1":"m"}', '{"__proto__":{"x":1},"y":2}',
        '{"a":{"b":{"c":[1,2,{"d":null}]}}}', ' { "spaced" : [ 1 , 2 ] } ',
        '{"op":{"kind":"get","rules":[{"allow":"owner","provider":"userPools","field":"owner","multi":false}],"key":{"pk":"id"}}}',
      ];
      const declined = [
        '-0', '[1,-0]', '{"n":-0}', '"a\\ud800b"', '1e400', '[' + '['.repeat(200) + ']'.repeat(200) + ']',
        '{"a":1,"a":2,"b":3}', '"raw ' + '\ud800'.slice(0, 1) + '"',
      ];
      const invalid = ['', 'nul', '{"a":}', '[1,]', '{a:1}', "'s'", '01', '1 2', '"\\x"', '"tab\there"', 'NaN'];
      const problems = [];
      for (const t of [...ordinary, ...declined, ...invalid]) {
        const want = outcome(JSON.parse, t), got = outcome(combined, t);
        if (want !== got) problems.push(`${t}: ${got} != ${want}`);
      }
      for (const t of ordinary) if (native(t) === undefined) problems.push(`${t}: fell back`);
      for (const t of invalid) if (native(t) !== undefined) problems.push(`${t}: not left to JSON.parse`);
      problems.join('\n')
    "#;

    #[test]
    fn agrees_with_json_parse() {
        let rt = Runtime::new().unwrap();
        let ctx = Context::full(&rt).unwrap();
        let problems: String = ctx.with(|ctx| {
            ctx.globals().set("__parse", Function::new(ctx.clone(), super::parse).unwrap()).unwrap();
            ctx.eval(JUDGE).unwrap_or_else(|e| panic!("{e}: {:?}", ctx.catch()))
        });
        assert_eq!(problems, "");
    }
}
