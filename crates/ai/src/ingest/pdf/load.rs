//! Loading a defused file with lopdf, then decoding every stream under the budget.
//!
//! After [`super::defuse`], lopdf can decode nothing but checked cross-reference
//! streams; object streams still have to be decoded while it loads, since it reads
//! the objects inside them there. Its loader takes a plain function to look at each
//! object as it is read: that function decodes object streams under the budget kept
//! in a thread-local (the loader runs on the calling thread: lopdf's `rayon` feature
//! is off), and ends the load early by unwinding when the budget or the time is spent.
//! After the load, [`decode_streams`] decodes the rest and removes every `/Filter`, so
//! nothing pdf-extract does later can decode anything.

use std::any::Any;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::time::Instant;

use pdf_extract::xref::XrefEntry;
use pdf_extract::{Document, LoadOptions, Object, ObjectId, ObjectStream, Stream};

use super::defuse::unmark;
use super::inflate::{Budget, Decoded, OverBudget, decode};

/// Why a load or decode stopped before the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    OverBudget,
    Deadline,
}

impl From<OverBudget> for Stop {
    fn from(_: OverBudget) -> Self {
        Stop::OverBudget
    }
}

struct Loading {
    budget: Budget,
    deadline: Instant,
    stopped: Option<Stop>,
}

thread_local! {
    static LOADING: RefCell<Option<Loading>> = const { RefCell::new(None) };
}

/// The unwind that ends a load early. Raised with `resume_unwind`, so the panic hook
/// (and its message on stderr) is not involved.
struct StopLoading;

/// What a load came to.
pub(super) enum Loaded {
    Document(Box<Document>),
    Failed(pdf_extract::Error),
    Stopped(Stop),
    /// lopdf panicked: the payload, for the caller's panic guard.
    Panicked(Box<dyn Any + Send>),
}

/// Loads `bytes` with lopdf, decoding object streams under `budget` as they are read.
pub(super) fn load(bytes: &[u8], budget: &mut Budget, deadline: Instant) -> Loaded {
    let placeholder = Budget::new(0);
    let state = Loading { budget: std::mem::replace(budget, placeholder), deadline, stopped: None };
    LOADING.with(|cell| *cell.borrow_mut() = Some(state));
    let options = LoadOptions { filter: Some(on_object), ..LoadOptions::default() };
    let result = catch_unwind(AssertUnwindSafe(|| Document::load_mem_with_options(bytes, options)));
    let state = LOADING.with(|cell| cell.borrow_mut().take()).expect("set above");
    *budget = state.budget;
    match (result, state.stopped) {
        (_, Some(stop)) => Loaded::Stopped(stop),
        (Ok(Ok(doc)), None) => Loaded::Document(Box::new(doc)),
        (Ok(Err(e)), None) => Loaded::Failed(e),
        (Err(payload), None) => Loaded::Panicked(payload),
    }
}

/// Called by lopdf for every object it reads: top-level objects (whose returned copy
/// it drops) and the objects inside object streams (whose returned copy it keeps).
/// Streams are never inside object streams, so they need no copy.
fn on_object(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    let stop = LOADING.with(|cell| {
        let mut cell = cell.borrow_mut();
        let state = cell.as_mut()?;
        let stop = if Instant::now() > state.deadline {
            Some(Stop::Deadline)
        } else if let Object::Stream(stream) = object
            && stream.dict.has_type(b"ObjStm")
        {
            decode_stream(stream, &mut state.budget).err().map(Stop::from)
        } else {
            None
        };
        state.stopped = state.stopped.or(stop);
        stop
    });
    if stop.is_some() {
        resume_unwind(Box::new(StopLoading));
    }
    match object {
        Object::Stream(_) => Some((id, Object::Null)),
        other => Some((id, other.clone())),
    }
}

/// Decodes a stream's filters under the budget and removes them. A chain that cannot
/// be decoded (an image codec) leaves the bytes as they are, which is what pdf-extract
/// falls back to when lopdf fails to decode.
fn decode_stream(stream: &mut Stream, budget: &mut Budget) -> Result<(), OverBudget> {
    let Ok(filter) = stream.dict.get(b"Filter") else { return Ok(()) };
    let filters: Vec<Vec<u8>> = match filter {
        Object::Name(name) => vec![unmark(name).to_vec()],
        Object::Array(items) => items
            .iter()
            .map(|item| item.as_name().map(|n| unmark(n).to_vec()))
            .collect::<Result<_, _>>()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let params = stream.dict.get(b"DecodeParms").and_then(Object::as_dict).ok().cloned();
    let names: Vec<&[u8]> = filters.iter().map(Vec::as_slice).collect();
    match decode(&stream.content, &names, params.as_ref(), budget)? {
        Decoded::Plain(data) => stream.set_plain_content(data),
        Decoded::Unsupported => {
            stream.dict.remove(b"Filter");
            stream.dict.remove(b"DecodeParms");
        }
    }
    Ok(())
}

/// Decodes every stream still filtered after the load, then reads the objects of
/// object streams lopdf could not (in encrypted files it decodes them itself, which
/// the renamed filters prevent). Afterwards no stream in `doc` has a filter.
pub(super) fn decode_streams(
    doc: &mut Document,
    budget: &mut Budget,
    deadline: Instant,
) -> Result<(), Stop> {
    for object in doc.objects.values_mut() {
        if Instant::now() > deadline {
            return Err(Stop::Deadline);
        }
        if let Object::Stream(stream) = object {
            decode_stream(stream, budget)?;
        }
    }

    let mut missing: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (&id, entry) in &doc.reference_table.entries {
        if let XrefEntry::Compressed { container, .. } = *entry
            && !doc.objects.contains_key(&(id, 0))
        {
            missing.entry(container).or_default().push(id);
        }
    }
    for (container, ids) in missing {
        let Some(Object::Stream(stream)) = doc.objects.get(&(container, 0)) else { continue };
        // Decoded already: `ObjectStream::new` only parses.
        let Ok(parsed) = ObjectStream::new(&mut stream.clone()) else { continue };
        for id in ids {
            if let Some(object) = parsed.objects.get(&(id, 0)) {
                doc.objects.insert((id, 0), object.clone());
            }
        }
    }
    Ok(())
}
