//! Finds the line of a key path (`shapes[3].radius`) in the scene source, so
//! that errors found after parsing still point into the file.

use std::ops::Range;
use toml_edit::{ImDocument, Item, Table, Value};

/// One step of a key path.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Parses `a.b[3].c` into steps.
fn parse_path(path: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !key.is_empty() {
            steps.push(Step::Key(key.to_string()));
        }
        while let (Some(open), Some(close)) = (rest.find('['), rest.find(']')) {
            if let Ok(i) = rest[open + 1..close].parse() {
                steps.push(Step::Index(i));
            }
            rest = &rest[close + 1..];
        }
    }
    steps
}

/// A place in the parsed document: toml_edit keeps tables, items and inline
/// values apart, and a key path walks across all three.
#[derive(Clone, Copy)]
enum Node<'a> {
    Item(&'a Item),
    Table(&'a Table),
    Value(&'a Value),
}

impl<'a> Node<'a> {
    fn span(self) -> Option<Range<usize>> {
        match self {
            Node::Item(i) => i.span(),
            Node::Table(t) => t.span(),
            Node::Value(v) => v.span(),
        }
    }

    fn child(self, step: &Step) -> Option<Node<'a>> {
        match (self, step) {
            (Node::Item(Item::Table(t)) | Node::Table(t), Step::Key(k)) => t.get(k).map(Node::Item),
            (Node::Item(Item::Value(v)), _) => Node::Value(v).child(step),
            (Node::Item(Item::ArrayOfTables(a)), Step::Index(i)) => a.get(*i).map(Node::Table),
            (Node::Value(Value::InlineTable(t)), Step::Key(k)) => t.get(k).map(Node::Value),
            (Node::Value(Value::Array(a)), Step::Index(i)) => a.get(*i).map(Node::Value),
            _ => None,
        }
    }
}

/// The 1-based line where the deepest existing part of `path` is written.
pub fn line_of(source: &str, path: &str) -> Option<usize> {
    let doc = ImDocument::parse(source).ok()?;
    let mut node = Node::Item(doc.as_item());
    let mut best = None;
    for step in parse_path(path) {
        match node.child(&step) {
            Some(next) => {
                best = next.span().or(best);
                node = next;
            }
            None => break,
        }
    }
    best.map(|s| source[..s.start.min(source.len())].matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "[film]\nwidth = 4\n\n[[shapes]]\ntype = \"sphere\"\n\n[[shapes]]\ntype = \"cube\"\ntransform = { scale = [1, 2, 3] }\n";

    #[test]
    fn finds_lines_of_nested_keys() {
        assert_eq!(line_of(SRC, "film.width"), Some(2));
        assert_eq!(line_of(SRC, "shapes[1].type"), Some(8));
        assert_eq!(line_of(SRC, "shapes[1].transform.scale[2]"), Some(9));
        // A missing key falls back to its deepest existing parent.
        assert_eq!(line_of(SRC, "shapes[0].radius"), Some(4));
    }
}
