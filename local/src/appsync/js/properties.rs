//! Property definition done natively for the engine's own modules:
//! `host.definer(hiddenKey, spec)`, a callable that gives an object a fixed
//! list of properties (accessors shared by every object, plain data
//! properties, and one hidden value), as `Object.defineProperties` would, and
//! `host.settle`, one data property. Each handler's `ctx` is built this way:
//! `Object.defineProperties` reads a descriptor object per property on every
//! call, which cost more than most handlers themselves.

use rquickjs::class::{JsCell, JsClass, Readable, Trace, Tracer};
use rquickjs::function::{Constructor, Params};
use rquickjs::object::{AsProperty, PropertyFlags};
use rquickjs::{qjs, Class, Ctx, FromJs, Function, JsLifetime, Object, Result, Value};

/// One property: its key (a string or a symbol) and how it is defined.
enum Entry<'js> {
    /// An enumerable, configurable accessor.
    Accessor { key: Value<'js>, get: Function<'js>, set: Function<'js> },
    /// An enumerable, writable, configurable data property holding `undefined`.
    Plain { key: Value<'js> },
}

/// The callable `host.definer` answers. Its values are JavaScript's, held
/// where QuickJS's cycle collector sees them ([`Trace`]).
pub(super) struct Definer<'js> {
    hidden_key: Value<'js>,
    entries: Vec<Entry<'js>>,
    /// Objects holding each prefix of the properties. QuickJS finds an
    /// object's next shape in its shape table only while some object has
    /// it; these keep every step alive, so a new object's properties are
    /// added without building (and then freeing) a shape for each.
    templates: Vec<Object<'js>>,
}

impl<'js> Trace<'js> for Definer<'js> {
    fn trace<'a>(&self, tracer: Tracer<'a, 'js>) {
        tracer.mark(&self.hidden_key);
        for t in &self.templates {
            tracer.mark(t.as_value());
        }
        for entry in &self.entries {
            match entry {
                Entry::Accessor { key, get, set } => {
                    tracer.mark(key);
                    tracer.mark(get.as_value());
                    tracer.mark(set.as_value());
                }
                Entry::Plain { key } => tracer.mark(key),
            }
        }
    }
}

// SAFETY: `Definer<'js>` holds only values of the runtime `'js` names.
unsafe impl<'js> JsLifetime<'js> for Definer<'js> {
    type Changed<'to> = Definer<'to>;
}

/// `flags` for [`Object::prop`], which adds `JS_PROP_THROW`.
struct Flagged<'js>(PropertyFlags, Value<'js>, Value<'js>, Value<'js>);

impl<'js> AsProperty<'js, ()> for Flagged<'js> {
    fn config(self, _: &Ctx<'js>) -> Result<(PropertyFlags, Value<'js>, Value<'js>, Value<'js>)> {
        Ok((self.0, self.1, self.2, self.3))
    }
}

const HAS_ALL: u32 = qjs::JS_PROP_HAS_CONFIGURABLE | qjs::JS_PROP_HAS_ENUMERABLE;
const SHOWN: u32 = HAS_ALL | qjs::JS_PROP_CONFIGURABLE | qjs::JS_PROP_ENUMERABLE;

impl<'js> JsClass<'js> for Definer<'js> {
    const NAME: &'static str = "Definer";
    const CALLABLE: bool = true;
    type Mutable = Readable;

    fn constructor(_: &Ctx<'js>) -> Result<Option<Constructor<'js>>> {
        Ok(None)
    }

    /// `(obj, hidden)`: defines the hidden key (holding `hidden`; not
    /// enumerable, writable or configurable), then each entry in order.
    fn call<'a>(this: &JsCell<'js, Self>, params: Params<'a, 'js>) -> Result<Value<'js>> {
        let ctx = params.ctx().clone();
        let undefined = || Value::new_undefined(ctx.clone());
        let target = Object::from_js(&ctx, params.arg(0).unwrap_or_else(undefined))?;
        let me = this.borrow();
        me.define(&ctx, &target, params.arg(1).unwrap_or_else(undefined), me.entries.len())?;
        Ok(undefined())
    }
}

impl<'js> Definer<'js> {
    /// Defines the hidden key and the first `count` entries on `target`.
    fn define(&self, ctx: &Ctx<'js>, target: &Object<'js>, hidden: Value<'js>, count: usize) -> Result<()> {
        let undefined = || Value::new_undefined(ctx.clone());
        let fixed = (HAS_ALL | qjs::JS_PROP_HAS_VALUE | qjs::JS_PROP_HAS_WRITABLE) as PropertyFlags;
        target.prop(self.hidden_key.clone(), Flagged(fixed, hidden, undefined(), undefined()))?;
        for entry in &self.entries[..count] {
            match entry {
                Entry::Accessor { key, get, set } => {
                    let flags = (SHOWN | qjs::JS_PROP_HAS_GET | qjs::JS_PROP_HAS_SET) as PropertyFlags;
                    let (get, set) = (get.clone().into_value(), set.clone().into_value());
                    target.prop(key.clone(), Flagged(flags, undefined(), get, set))?;
                }
                Entry::Plain { key } => {
                    let flags = (SHOWN | qjs::JS_PROP_HAS_VALUE | qjs::JS_PROP_HAS_WRITABLE | qjs::JS_PROP_WRITABLE)
                        as PropertyFlags;
                    target.prop(key.clone(), Flagged(flags, undefined(), undefined(), undefined()))?;
                }
            }
        }
        Ok(())
    }
}

/// `host.definer(hiddenKey, [[key, get, set] | [key], ...])`.
pub(super) fn definer<'js>(ctx: Ctx<'js>, hidden_key: Value<'js>, spec: Vec<Vec<Value<'js>>>) -> Result<Value<'js>> {
    let mut entries = Vec::with_capacity(spec.len());
    for entry in spec {
        let mut parts = entry.into_iter();
        let key = parts.next().unwrap_or_else(|| Value::new_undefined(ctx.clone()));
        entries.push(match (parts.next(), parts.next()) {
            (Some(get), Some(set)) => {
                Entry::Accessor { key, get: Function::from_js(&ctx, get)?, set: Function::from_js(&ctx, set)? }
            }
            _ => Entry::Plain { key },
        });
    }
    let mut definer = Definer { hidden_key, entries, templates: Vec::new() };
    for count in 0..=definer.entries.len() {
        let template = Object::new(ctx.clone())?;
        definer.define(&ctx, &template, Value::new_undefined(ctx.clone()), count)?;
        definer.templates.push(template);
    }
    Ok(Class::instance(ctx, definer)?.into_value())
}

/// `host.settle(obj, key, value)`: makes `key` an own data property of `obj`
/// holding `value` (enumerable, writable, configurable), as an object literal
/// would; answers `value`. What a lazy accessor becomes once read or set.
pub(super) fn settle<'js>(target: Object<'js>, key: Value<'js>, value: Value<'js>) -> Result<Value<'js>> {
    let ctx = target.ctx().clone();
    let flags = (SHOWN | qjs::JS_PROP_HAS_VALUE | qjs::JS_PROP_HAS_WRITABLE | qjs::JS_PROP_WRITABLE) as PropertyFlags;
    let undefined = || Value::new_undefined(ctx.clone());
    target.prop(key, Flagged(flags, value.clone(), undefined(), undefined()))?;
    Ok(value)
}
