//! Checks that keep pdf-extract 0.12 away from input it cannot survive.
//!
//! A panic in pdf-extract is caught by the caller; these checks are for what a panic
//! guard cannot stop: recursion without a bound (a stack overflow aborts the whole
//! process) and loops that run for billions of steps. Each check mirrors how
//! pdf-extract walks the document, erring on the side of refusing the file; real
//! documents come nowhere near the limits.

use std::collections::HashMap;
use std::rc::Rc;

use pdf_extract::content::Content;
use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream};

/// Deepest chain of /Parent links above a page. Real page trees are a few levels deep.
const MAX_TREE_DEPTH: usize = 64;
/// Deepest nesting of form XObjects drawing form XObjects; a cycle exceeds any bound.
const MAX_FORM_DEPTH: usize = 32;
/// Most form XObjects drawn on one page, counting repeats: nesting multiplies the count.
const MAX_FORM_DRAWS: usize = 10_000;
/// Deepest nesting in a font's CMap or Type 1 program, which pdf-extract's parsers
/// descend recursively. On a 2 MiB stack (tokio's blocking threads, test threads) they
/// were measured to overflow past about 1,100 nested dictionaries, 1,900 nested arrays.
const MAX_NESTING: usize = 256;
/// Most codes one ToUnicode CMap may map: pdf-extract expands every range into a table.
/// Two full 16-bit ranges.
const MAX_CMAP_CODES: u64 = 1 << 17;
/// Most content bytes pdf-extract may parse for one page: its content plus every form
/// it draws, counted each time it is drawn. Bounds the work between two checks of the
/// deadline. Streams are decoded by then, so these are decoded bytes.
const MAX_PAGE_CONTENT: usize = 64 << 20;

/// Empties image (and PostScript) XObjects. pdf-extract runs any XObject a page draws
/// as a content stream, image samples included, and panics on what it finds there
/// (jrmuizel/pdf-extract#153). Images carry no text, so nothing is lost.
pub(super) fn neutralise_images(doc: &mut Document) {
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object
            && is_image(stream)
        {
            stream.set_plain_content(Vec::new());
        }
    }
}

fn is_image(stream: &Stream) -> bool {
    matches!(stream.dict.get(b"Subtype").and_then(Object::as_name), Ok(b"Image" | b"PS"))
}

/// Refuses a page whose /Parent chain loops (pdf-extract climbs it to find inherited
/// resources and would never stop) or whose form XObjects nest too deep or draw too
/// often.
pub(super) fn check_page(doc: &Document, page: ObjectId) -> Result<(), String> {
    let page_dict = doc.get_dictionary(page).map_err(|e| e.to_string())?;
    let mut node = page_dict;
    let mut depth = 0;
    while let Some(parent) = parent(doc, node) {
        depth += 1;
        if depth > MAX_TREE_DEPTH {
            return Err("the page tree loops or is too deep".to_owned());
        }
        node = parent;
    }

    // lopdf concatenates the page's content streams into one buffer, and /Contents may
    // name one stream any number of times: add up the size before it is built.
    let size = doc
        .get_page_contents(page)
        .into_iter()
        .filter_map(|id| doc.get_object(id).and_then(Object::as_stream).ok())
        .fold(0usize, |size, stream| size.saturating_add(stream.content.len() + 1));
    if size > MAX_PAGE_CONTENT {
        return Err(format!("the page's content is larger than {} MiB", MAX_PAGE_CONTENT >> 20));
    }
    // Content that does not parse makes pdf-extract panic, which is caught later.
    let Ok(content) = doc.get_page_content(page) else { return Ok(()) };
    let Some(resources) = inherited_resources(doc, page_dict) else { return Ok(()) };
    FormWalk { doc, draws: 0, content: content.len(), names: HashMap::new() }.walk(
        &drawn_names(&content),
        resources,
        0,
    )
}

/// The parent of a page-tree node, resolved the way pdf-extract's `get_inherited` does.
fn parent<'a>(doc: &'a Document, node: &'a Dictionary) -> Option<&'a Dictionary> {
    let id = node.get(b"Parent").and_then(Object::as_reference).ok()?;
    doc.get_dictionary(id).ok()
}

/// The /Resources a page uses: its own, else the nearest ancestor's. The chain has
/// been checked to be finite.
fn inherited_resources<'a>(doc: &'a Document, page: &'a Dictionary) -> Option<&'a Dictionary> {
    let mut node = page;
    loop {
        if let Some(resources) = dict_entry(doc, node, b"Resources") {
            return Some(resources);
        }
        node = parent(doc, node)?;
    }
}

/// Follows a reference once, as pdf-extract does.
fn deref<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    match object {
        Object::Reference(id) => doc.get_object(*id).ok(),
        _ => Some(object),
    }
}

fn dict_entry<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
    deref(doc, dict.get(key).ok()?)?.as_dict().ok()
}

/// Simulates pdf-extract's recursion through `Do` operators without extracting text.
struct FormWalk<'a> {
    doc: &'a Document,
    draws: usize,
    /// Content bytes parsed for the page so far.
    content: usize,
    /// The XObject names each form draws, by the form's address: decoded once.
    names: HashMap<*const Stream, Rc<Vec<Vec<u8>>>>,
}

impl<'a> FormWalk<'a> {
    fn walk(
        &mut self,
        names: &[Vec<u8>],
        resources: &'a Dictionary,
        depth: usize,
    ) -> Result<(), String> {
        for name in names {
            let Some(xobject) = dict_entry(self.doc, resources, b"XObject")
                .and_then(|all| all.get(name).ok())
                .and_then(|object| deref(self.doc, object))
                .and_then(|object| object.as_stream().ok())
            else {
                continue;
            };
            if is_image(xobject) {
                continue;
            }
            self.draws += 1;
            if self.draws > MAX_FORM_DRAWS {
                return Err(format!("form XObjects are drawn more than {MAX_FORM_DRAWS} times"));
            }
            if depth >= MAX_FORM_DEPTH {
                return Err("form XObjects nest too deep or draw themselves".to_owned());
            }
            self.content = self.content.saturating_add(xobject.content.len());
            if self.content > MAX_PAGE_CONTENT {
                return Err(format!(
                    "the page draws more than {} MiB of content",
                    MAX_PAGE_CONTENT >> 20
                ));
            }
            // A form without resources of its own uses those of whatever draws it.
            let inner_resources =
                dict_entry(self.doc, &xobject.dict, b"Resources").unwrap_or(resources);
            let inner = self.names_drawn_by(xobject);
            self.walk(&inner, inner_resources, depth + 1)?;
        }
        Ok(())
    }

    fn names_drawn_by(&mut self, form: &Stream) -> Rc<Vec<Vec<u8>>> {
        let key = std::ptr::from_ref(form);
        Rc::clone(self.names.entry(key).or_insert_with(|| {
            let content = form.decompressed_content().unwrap_or_else(|_| form.content.clone());
            Rc::new(drawn_names(&content))
        }))
    }
}

/// The operand of every `Do` in a content stream, in order.
fn drawn_names(content: &[u8]) -> Vec<Vec<u8>> {
    let Ok(content) = Content::decode(content) else { return Vec::new() };
    content
        .operations
        .iter()
        .filter(|op| op.operator == "Do")
        .filter_map(|op| op.operands.first()?.as_name().ok().map(<[u8]>::to_vec))
        .collect()
}

/// Refuses fonts whose CMaps or Type 1 programs would exhaust pdf-extract's parsers.
/// Every dictionary in the file is looked at, not just those pages reach: cheaper to
/// get right than following every path by which a font can be found.
pub(super) fn check_fonts(doc: &Document) -> Result<(), String> {
    let mut pending: Vec<&Object> = doc.objects.values().collect();
    while let Some(object) = pending.pop() {
        let dict = match object {
            Object::Dictionary(dict) => dict,
            Object::Stream(stream) => &stream.dict,
            Object::Array(items) => {
                pending.extend(items);
                continue;
            }
            _ => continue,
        };
        for (key, value) in dict.iter() {
            match key.as_slice() {
                b"ToUnicode" => check_font_stream(doc, value, true)?,
                b"Encoding" | b"FontFile" => check_font_stream(doc, value, false)?,
                _ => {}
            }
            // Direct objects nest (a page's fonts can sit inside its resources);
            // references are reached through `doc.objects` anyway.
            if matches!(value, Object::Dictionary(_) | Object::Array(_)) {
                pending.push(value);
            }
        }
    }
    Ok(())
}

fn check_font_stream(doc: &Document, value: &Object, is_to_unicode: bool) -> Result<(), String> {
    let Some(Object::Stream(stream)) = deref(doc, value) else { return Ok(()) };
    let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    if nesting_depth(&data) > MAX_NESTING {
        return Err("a font program nests too deep".to_owned());
    }
    if is_to_unicode && cmap_range_codes(&data) > MAX_CMAP_CODES {
        return Err(format!("a ToUnicode map covers more than {MAX_CMAP_CODES} codes"));
    }
    Ok(())
}

/// How deep a recursive parser of PostScript syntax (pdf-extract's CMap and Type 1
/// parsers) descends into `data`: arrays, procedures, dictionaries and nested string
/// parentheses each add a level; hex strings, escaped parentheses and brackets inside
/// strings do not. Where the syntax is broken the parsers stop, so what follows cannot
/// take them deeper; counting on past that point only makes the bound more cautious.
pub(super) fn nesting_depth(data: &[u8]) -> usize {
    let (mut structures, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'(' => {
                // A literal string: only parentheses nest inside, and `\` escapes a byte.
                let mut parens = 0usize;
                while i < data.len() {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => {
                            parens += 1;
                            deepest = deepest.max(structures + parens);
                        }
                        b')' => {
                            parens -= 1;
                            if parens == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'<' if data.get(i + 1) == Some(&b'<') => {
                structures += 1;
                deepest = deepest.max(structures);
                i += 1;
            }
            // A hex string: flat.
            b'<' => {
                while i < data.len() && data[i] != b'>' {
                    i += 1;
                }
            }
            b'>' if data.get(i + 1) == Some(&b'>') => {
                structures = structures.saturating_sub(1);
                i += 1;
            }
            b'[' | b'{' => {
                structures += 1;
                deepest = deepest.max(structures);
            }
            b']' | b'}' => structures = structures.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// How many codes the `bfrange` sections of a ToUnicode CMap expand to, read the way
/// pdf-extract's CMap parser reads them. Nesting has been checked first: the parser
/// recurses.
fn cmap_range_codes(data: &[u8]) -> u64 {
    use adobe_cmap_parser::Value;
    let Ok(values) = adobe_cmap_parser::parse(data) else { return 0 };
    let code = |value: Option<&Value>| match value {
        Some(Value::LiteralString(bytes)) => {
            Some(bytes.iter().fold(0u32, |code, byte| (code << 8) | u32::from(*byte)))
        }
        _ => None,
    };
    let mut total = 0u64;
    let mut i = 0;
    while i < values.len() {
        if matches!(&values[i], Value::Operator(op) if op == "beginbfrange") {
            i += 1;
            // Triples of low code, high code, destination, up to `endbfrange`.
            while let (Some(low), Some(high)) = (code(values.get(i)), code(values.get(i + 1))) {
                if matches!(values.get(i + 2), Some(Value::LiteralString(_))) && high >= low {
                    total = total.saturating_add(u64::from(high - low) + 1);
                }
                i += 3;
            }
        } else {
            i += 1;
        }
    }
    total
}
